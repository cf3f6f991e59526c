package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// TestSpelledOutTermsAreNoBodiesRound17: an acronym the story spells out
// as a thing (lower-case words, a law, a system) is no organization,
// however the capitals read it; one spelled out as a body still is.
func TestSpelledOutTermsAreNoBodiesRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The physicist, who has the motor neurone disease amyotrophic lateral sclerosis (ALS), uses a new system. ALS patients use it too.", absent: []string{"organization:als"}},
		{body: "He backed a repeal of the federal Defense of Marriage Act, or DOMA, which recognizes only some marriages. DOMA fell in 2013.", absent: []string{"organization:doma"}},
		{body: "Officers check identities against the Schengen Information System (SIS), a database. The SIS was slow.", absent: []string{"organization:sis"}},
		{body: "The chip has a micro control unit (MCU) and a wide field-of-view (FOV) lens. The MCU is new.", absent: []string{"organization:mcu", "organization:fov"}},
		// a body spelled out stays one
		{body: "The Department of Health and Human Services (HHS) said the HHS would act.", want: []string{"organization:department_of_health_and_human_services"}},
		{body: "The Quellmark Trading Authority (QTA) said the QTA would appeal.", want: []string{"organization:quellmark_trading_authority"}},
	})
}

func TestSpelledOut(t *testing.T) {
	for _, c := range []struct {
		text, acr string
		ok        bool
		first     string // the long form's first word
	}{
		{"a motor neurone disease amyotrophic lateral sclerosis (ALS)", "als", true, "amyotrophic"},
		{"the federal Defense of Marriage Act, or DOMA", "doma", true, "Defense"},
		{"a wide field-of-view (FOV)", "fov", true, "field-of-view"},
		{"the Department of Health and Human Services (HHS)", "hhs", true, "Health"},
		{"phase detection (PDAF)", "pdaf", false, ""},
	} {
		f := tokens.NewField(c.text)
		end := -1
		for i, tk := range f.Tokens {
			if tk.Lower == c.acr {
				end = i
			}
		}
		if tk := f.Tokens[end-1]; tk.Lower == "or" {
			end--
		}
		start, ok := spelledOut(f.Tokens, end, c.acr)
		if ok != c.ok || ok && f.Tokens[start].Text != c.first {
			t.Errorf("%q: spelledOut = %d, %v; want %v from %q", c.text, start, ok, c.ok, c.first)
		}
	}
}

// TestFXIsForeignExchange: "FX" and "forex" are foreign exchange, a market's
// abbreviation as USD or CPI are, no body ("Carney looks to maintain BOE's
// integrity over FX probe", set 33's uci-news:4887; eleven uci-news
// headlines of the BoE's FX story). The cost: FX the television network,
// which no list held either, is no longer read by its capitals alone.
func TestFXIsForeignExchange(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Carney looks to maintain the bank's integrity over FX probe.", absent: []string{"organization:fx"}},
		{body: "Regulators widened the forex rigging inquiry.", absent: []string{"organization:forex"}},
	})
}
