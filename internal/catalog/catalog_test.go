package catalog_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
)

func TestModelsAreSortedCompleteAndCopied(t *testing.T) {
	models := catalog.Models()
	if len(models) < 20 {
		t.Fatalf("catalog has %d models, want at least 20", len(models))
	}
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.Name
	}
	if !slices.IsSorted(names) {
		t.Errorf("Models() not sorted by name: %v", names)
	}
	if got := catalog.Names(); !slices.Equal(got, names) {
		t.Errorf("Names() = %v, want %v", got, names)
	}
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("duplicate names in %v", names)
	}
	for _, want := range []string{
		"gpt-4-turbo-preview", "gpt-4", "gpt-3.5-turbo", "mistral-7b-instruct",
		"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-5", "gpt-5-mini",
		"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1", "gemini-2.5-pro", "gemini-2.5-flash",
		"mistral-large", "mistral-small", "deepseek-chat", "deepseek-reasoner", "llama-3.3-70b",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("catalog lacks %s", want)
		}
	}
	for _, m := range models {
		if m.Provider == "" || m.InputPerMillion <= 0 || m.OutputPerMillion <= 0 || m.CachedInputPerMillion < 0 ||
			m.CachedInputPerMillion >= m.InputPerMillion && m.CachedInputPerMillion != 0 || m.ContextWindow < 4096 {
			t.Errorf("%s: implausible entry %+v", m.Name, m)
		}
		if _, err := time.Parse(time.DateOnly, m.PriceDate); err != nil || !strings.HasPrefix(m.PriceDate, "2025-") {
			t.Errorf("%s: price date %q is not a 2025 YYYY-MM-DD date", m.Name, m.PriceDate)
		}
		if m.Provider != "self-hosted" {
			if u, err := url.Parse(m.Source); err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("%s: source %q is not an https URL", m.Name, m.Source)
			}
		}
		if len(m.Capabilities) != len(catalog.Capabilities()) {
			t.Errorf("%s: capabilities %v, want exactly %v", m.Name, m.Capabilities, catalog.Capabilities())
		}
		for _, c := range catalog.Capabilities() {
			if s := m.Score(c); s < catalog.MinScore || s > catalog.MaxScore {
				t.Errorf("%s: %s score %d outside %d-%d", m.Name, c, s, catalog.MinScore, catalog.MaxScore)
			}
		}
	}

	models[0].Capabilities[catalog.CapabilityCoding] = 0
	models[0].Name = "changed"
	if again := catalog.Models(); again[0].Name == "changed" || again[0].Score(catalog.CapabilityCoding) == 0 {
		t.Error("changing the result of Models() changed the catalog")
	}
}

func TestLookup(t *testing.T) {
	m, ok := catalog.Lookup("gpt-4o")
	if !ok || m.Provider != "openai" || m.InputPerMillion != 2.5 || m.OutputPerMillion != 10 || m.Cost() != 12.5 {
		t.Errorf("Lookup(gpt-4o) = %+v, %v", m, ok)
	}
	m.Capabilities[catalog.CapabilityCoding] = 1
	if again, _ := catalog.Lookup("gpt-4o"); again.Score(catalog.CapabilityCoding) == 1 {
		t.Error("changing a looked-up model changed the catalog")
	}
	for _, name := range []string{"", "GPT-4o", "gpt4o", " gpt-4o"} {
		if _, ok := catalog.Lookup(name); ok {
			t.Errorf("Lookup(%q) found a model; lookups are exact", name)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"gpt4o", "gpt-4o"},
		{"GPT-4o", "gpt-4o"},
		{"gpt-4o-mni", "gpt-4o-mini"},
		{"claude-sonet-4-5", "claude-sonnet-4-5"},
		{"claude-sonnet-4.5", "claude-sonnet-4-5"},
		{"gemini-2.5-flsh", "gemini-2.5-flash"},
		{"deepseek-v3", ""},
		{"totally-unknown-model", ""},
		{"", ""},
		{"gpt-4o", "gpt-4"}, // an exact name is never suggested to itself
	} {
		if got := catalog.Suggest(tc.name); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := catalog.SuggestAmong("mistral-7b-f", []string{"mistral-7b-ft", "gpt-4o"}); got != "mistral-7b-ft" {
		t.Errorf("SuggestAmong = %q, want mistral-7b-ft", got)
	}
}

func TestUnknownModelError(t *testing.T) {
	if got, want := catalog.UnknownModelError("gpt4o"),
		`unknown model "gpt4o": did you mean "gpt-4o"? See data.octollm_model_catalog for the list.`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got, want := catalog.UnknownModelError("mistral-7b-f", "mistral-7b-ft"),
		`unknown model "mistral-7b-f": did you mean "mistral-7b-ft"? See data.octollm_model_catalog for the list.`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got := catalog.UnknownModelError("zzz-unheard-of"); !strings.Contains(got, `unknown model "zzz-unheard-of"`) ||
		strings.Contains(got, "did you mean") || !strings.Contains(got, "data.octollm_model_catalog") {
		t.Errorf("got %s", got)
	}
}
