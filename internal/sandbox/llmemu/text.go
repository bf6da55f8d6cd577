package llmemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// ReplyTokens is the completion length, in tokens, of a reply whose request sets no smaller
// max_tokens limit.
const ReplyTokens = 16

// replyPrefixTokens is the length of the fixed "Emulated reply from <model>:" opening.
const replyPrefixTokens = 4

// words are the vocabulary of the hash-derived part of a reply.
var words = [64]string{
	"amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor",
	"indigo", "juniper", "kelp", "lagoon", "meadow", "nectar", "onyx", "prairie",
	"quartz", "ridge", "sierra", "tundra", "umber", "valley", "willow", "xenon",
	"yarrow", "zephyr", "acorn", "breeze", "canyon", "dune", "estuary", "fern",
	"glacier", "heath", "island", "jasper", "knoll", "lichen", "marsh", "nimbus",
	"orchid", "pebble", "quill", "reef", "spruce", "thicket", "upland", "vapor",
	"wren", "yew", "alder", "birch", "cove", "drift", "elm", "flint",
	"grove", "hollow", "iris", "jade", "kestrel", "loam", "moss", "north",
}

// PromptTokens is the number of prompt tokens the emulator reports for a request whose messages
// have these text contents, in order; an Anthropic request's system prompt, when present, is one
// more message before the others. Each message counts ceil(runes/4) of its text plus 3.
func PromptTokens(contents ...string) int {
	n := 0
	for _, c := range contents {
		n += messageTokens(c)
	}
	return n
}

func messageTokens(text string) int { return (utf8.RuneCountInString(text)+3)/4 + 3 }

// Reply returns the text the emulator answers to a request for model whose messages have these
// text contents (as for [PromptTokens]), and its completion tokens. maxTokens is the request's
// max_tokens or max_completion_tokens; 0 means none.
func Reply(model string, contents []string, maxTokens int) (text string, completionTokens int) {
	h := newPromptHash(model)
	for _, c := range contents {
		h.add(c)
	}
	r := reply{model: model, seed: h.sum(), n: replyLength(maxTokens)}
	var b []byte
	for i := range r.n {
		b = r.appendPiece(b, i)
	}
	return string(b), r.n
}

// replyLength is the number of tokens of a reply limited to maxTokens (0: no limit).
func replyLength(maxTokens int) int {
	if maxTokens > 0 && maxTokens < ReplyTokens {
		return maxTokens
	}
	return ReplyTokens
}

// promptHash is FNV-1a over the model and each message's text, each followed by a zero byte.
type promptHash uint64

func newPromptHash(model string) promptHash {
	h := promptHash(14695981039346656037)
	h.add(model)
	return h
}

func (h *promptHash) add(s string) {
	v := uint64(*h)
	for i := 0; i < len(s); i++ {
		v ^= uint64(s[i])
		v *= 1099511628211
	}
	v *= 1099511628211 // the zero separator
	*h = promptHash(v)
}

func (h promptHash) sum() uint64 { return uint64(h) }

// reply is one deterministic answer: n tokens, the first four "Emulated", " reply", " from",
// " <model>:", the others a space and a word chosen by the prompt's hash.
type reply struct {
	model string
	seed  uint64
	n     int
}

// appendPiece appends token i (0 <= i < r.n) of the reply, unescaped, to dst.
func (r *reply) appendPiece(dst []byte, i int) []byte {
	if i >= replyPrefixTokens {
		return append(append(dst, ' '), words[splitmix(r.seed+uint64(i))%uint64(len(words))]...)
	}
	switch i {
	case 0:
		return append(dst, "Emulated"...)
	case 1:
		return append(dst, " reply"...)
	case 2:
		return append(dst, " from"...)
	}
	// The last token of the opening.
	dst = append(dst, ' ')
	dst = append(dst, r.model...)
	return append(dst, ':')
}

// appendJSONPiece appends token i of the reply to dst, escaped for the inside of a JSON string.
func (r *reply) appendJSONPiece(dst []byte, i int) []byte {
	if i == replyPrefixTokens-1 {
		dst = append(dst, ' ')
		dst = appendJSONStringBody(dst, r.model)
		return append(dst, ':')
	}
	return r.appendPiece(dst, i) // fixed words need no escaping
}

// appendJSONText appends the whole reply as a quoted JSON string.
func (r *reply) appendJSONText(dst []byte) []byte {
	dst = append(dst, '"')
	for i := range r.n {
		dst = r.appendJSONPiece(dst, i)
	}
	return append(dst, '"')
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s to dst as a quoted JSON string.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendJSONStringBody(dst, s)
	return append(dst, '"')
}

// appendJSONStringBody appends s to dst escaped for the inside of a JSON string; invalid UTF-8
// becomes U+FFFD, as encoding/json does.
func appendJSONStringBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// messageText is a message's content as sent by either API: a string, or an array of content
// parts (OpenAI) or blocks (Anthropic) of which the "text" ones count; null is empty.
type messageText string

func (m *messageText) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty content")
	}
	switch b[0] {
	case '"':
		if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
			*m = messageText(b[1 : len(b)-1]) // nothing to unescape
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = messageText(s)
		return nil
	case 'n':
		*m = ""
		return nil
	case '[':
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(b, &parts); err != nil {
			return err
		}
		var s string
		for _, p := range parts {
			if p.Type == "text" {
				s += p.Text
			}
		}
		*m = messageText(s)
		return nil
	}
	return errors.New("content must be a string or an array of content parts")
}
