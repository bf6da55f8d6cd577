package catalog

// Pricing pages the entries cite.
const (
	sourceSeed      = "octollm Phase 6 plan (seed 000_8a859dbe13bf8ca5), ModelSelector.MODEL_COSTS: self-hosted estimate"
	sourceOpenAI    = "https://platform.openai.com/docs/pricing"
	sourceAnthropic = "https://docs.claude.com/en/docs/about-claude/pricing"
	sourceGoogle    = "https://ai.google.dev/gemini-api/docs/pricing"
	sourceMistral   = "https://mistral.ai/pricing#api-pricing"
	sourceDeepSeek  = "https://api-docs.deepseek.com/quick_start/pricing"
	sourceGroq      = "https://groq.com/pricing"
)

// scores builds a capability map in the seed's order: reasoning, coding, knowledge.
func scores(reasoning, coding, knowledge int) map[string]int {
	return map[string]int{
		CapabilityReasoning: reasoning,
		CapabilityCoding:    coding,
		CapabilityKnowledge: knowledge,
	}
}

// builtin is the catalog. The first four entries are the seed's ModelSelector table, costs and
// scores unchanged (the seed's Last Updated date is 2025-11-10). The others are vendor list prices
// for the standard tier on the date given; Gemini 2.5 Pro's price is for prompts up to 200k
// tokens, and deepseek-chat is DeepSeek-V3 as priced after its launch discount ended.
var builtin = []Model{
	// The seed's table.
	{Name: "gpt-4-turbo-preview", Provider: "openai", InputPerMillion: 10, OutputPerMillion: 30,
		ContextWindow: 128000, Capabilities: scores(10, 9, 10), Source: sourceOpenAI, PriceDate: "2025-11-10"},
	{Name: "gpt-4", Provider: "openai", InputPerMillion: 30, OutputPerMillion: 60,
		ContextWindow: 8192, Capabilities: scores(10, 10, 10), Source: sourceOpenAI, PriceDate: "2025-11-10"},
	{Name: "gpt-3.5-turbo", Provider: "openai", InputPerMillion: 0.5, OutputPerMillion: 1.5,
		ContextWindow: 16385, Capabilities: scores(7, 7, 8), Source: sourceOpenAI, PriceDate: "2025-11-10"},
	{Name: "mistral-7b-instruct", Provider: "self-hosted", InputPerMillion: 0.2, OutputPerMillion: 0.2,
		ContextWindow: 32768, Capabilities: scores(6, 6, 6), Source: sourceSeed, PriceDate: "2025-11-10"},

	// OpenAI.
	{Name: "gpt-4o", Provider: "openai", InputPerMillion: 2.5, OutputPerMillion: 10, CachedInputPerMillion: 1.25,
		ContextWindow: 128000, Capabilities: scores(8, 8, 9), Source: sourceOpenAI, PriceDate: "2025-08-07"},
	{Name: "gpt-4o-mini", Provider: "openai", InputPerMillion: 0.15, OutputPerMillion: 0.6, CachedInputPerMillion: 0.075,
		ContextWindow: 128000, Capabilities: scores(7, 7, 7), Source: sourceOpenAI, PriceDate: "2025-08-07"},
	{Name: "gpt-4.1", Provider: "openai", InputPerMillion: 2, OutputPerMillion: 8, CachedInputPerMillion: 0.5,
		ContextWindow: 1047576, Capabilities: scores(8, 9, 9), Source: sourceOpenAI, PriceDate: "2025-08-07"},
	{Name: "gpt-4.1-mini", Provider: "openai", InputPerMillion: 0.4, OutputPerMillion: 1.6, CachedInputPerMillion: 0.1,
		ContextWindow: 1047576, Capabilities: scores(7, 8, 8), Source: sourceOpenAI, PriceDate: "2025-08-07"},
	{Name: "gpt-5", Provider: "openai", InputPerMillion: 1.25, OutputPerMillion: 10, CachedInputPerMillion: 0.125,
		ContextWindow: 400000, Capabilities: scores(10, 10, 10), Source: sourceOpenAI, PriceDate: "2025-08-07"},
	{Name: "gpt-5-mini", Provider: "openai", InputPerMillion: 0.25, OutputPerMillion: 2, CachedInputPerMillion: 0.025,
		ContextWindow: 400000, Capabilities: scores(9, 9, 8), Source: sourceOpenAI, PriceDate: "2025-08-07"},

	// Anthropic (cached input is the cache-read price).
	{Name: "claude-sonnet-4-5", Provider: "anthropic", InputPerMillion: 3, OutputPerMillion: 15, CachedInputPerMillion: 0.3,
		ContextWindow: 200000, Capabilities: scores(9, 10, 9), Source: sourceAnthropic, PriceDate: "2025-10-15"},
	{Name: "claude-haiku-4-5", Provider: "anthropic", InputPerMillion: 1, OutputPerMillion: 5, CachedInputPerMillion: 0.1,
		ContextWindow: 200000, Capabilities: scores(8, 8, 8), Source: sourceAnthropic, PriceDate: "2025-10-15"},
	{Name: "claude-opus-4-1", Provider: "anthropic", InputPerMillion: 15, OutputPerMillion: 75, CachedInputPerMillion: 1.5,
		ContextWindow: 200000, Capabilities: scores(10, 10, 10), Source: sourceAnthropic, PriceDate: "2025-10-15"},

	// Google.
	{Name: "gemini-2.5-pro", Provider: "google", InputPerMillion: 1.25, OutputPerMillion: 10, CachedInputPerMillion: 0.31,
		ContextWindow: 1048576, Capabilities: scores(10, 9, 10), Source: sourceGoogle, PriceDate: "2025-06-17"},
	{Name: "gemini-2.5-flash", Provider: "google", InputPerMillion: 0.3, OutputPerMillion: 2.5, CachedInputPerMillion: 0.075,
		ContextWindow: 1048576, Capabilities: scores(8, 8, 8), Source: sourceGoogle, PriceDate: "2025-06-17"},

	// Mistral (no cached-input price listed).
	{Name: "mistral-large", Provider: "mistral", InputPerMillion: 2, OutputPerMillion: 6,
		ContextWindow: 131072, Capabilities: scores(8, 8, 8), Source: sourceMistral, PriceDate: "2025-05-07"},
	{Name: "mistral-small", Provider: "mistral", InputPerMillion: 0.1, OutputPerMillion: 0.3,
		ContextWindow: 131072, Capabilities: scores(6, 6, 7), Source: sourceMistral, PriceDate: "2025-05-07"},

	// DeepSeek (cached input is the cache-hit price).
	{Name: "deepseek-chat", Provider: "deepseek", InputPerMillion: 0.27, OutputPerMillion: 1.1, CachedInputPerMillion: 0.07,
		ContextWindow: 65536, Capabilities: scores(8, 8, 8), Source: sourceDeepSeek, PriceDate: "2025-02-09"},
	{Name: "deepseek-reasoner", Provider: "deepseek", InputPerMillion: 0.55, OutputPerMillion: 2.19, CachedInputPerMillion: 0.14,
		ContextWindow: 65536, Capabilities: scores(9, 8, 8), Source: sourceDeepSeek, PriceDate: "2025-02-09"},

	// Llama 3.3 70B as served by Groq (Meta publishes no API price).
	{Name: "llama-3.3-70b", Provider: "groq", InputPerMillion: 0.59, OutputPerMillion: 0.79,
		ContextWindow: 131072, Capabilities: scores(7, 7, 8), Source: sourceGroq, PriceDate: "2025-06-01"},
}
