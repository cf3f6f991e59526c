package entities

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// longest folds a window's words once and looks each length up by a
// prefix of that key: it must answer as a lookup of each length does.
func TestLongestMatchesALookupOfEachLength(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	byLength := func(ts []tokens.Token, caseRule bool) (*entry, int) {
		for l := min(len(ts), x.gaz.startLen(ts[0])); l >= 1; l-- {
			if e := x.gaz.lookupStarted(ts[:l], caseless(ts[0]) || caseRule); e != nil {
				return e, l
			}
		}
		return nil, 0
	}
	found := 0
	check := func(ts []tokens.Token) {
		for i := range ts {
			for _, caseRule := range []bool{false, true} {
				e, n := x.longest(ts[i:], caseRule)
				we, wn := byLength(ts[i:], caseRule)
				if e != we || n != wn {
					t.Fatalf("longest at %q: %v, %d; a lookup of each length gives %v, %d", ts[i].Text, e, n, we, wn)
				}
				if n > 0 {
					found++
				}
			}
		}
	}
	docs := append(shareddata.WikiRef(t), shareddata.UCI(t)...)
	for _, d := range docs {
		check(tokens.Split(d.Item.Title))
		check(tokens.Split(d.Text))
	}
	// windows longer than the stack key holds
	check(tokens.Split("United States of America Federal Reserve Bank of New York Stock Exchange Commission of the European Union " +
		"Organisation for Economic Co-operation and Development Østfold Ærø Łódź Zürich Beyoncé’s Kapi'olani"))
	if found == 0 {
		t.Fatal("no window matched")
	}
}

// TestABodysNameOfACountryIsOneBody: a body's name ending in its head
// word, then "of" and a country, is that country's own body, one
// organization ("the Civil Aviation Authority of Vietnam": not a Civil
// Aviation Authority and Vietnam); the body named alone stays itself.
func TestABodysNameOfACountryIsOneBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The Civil Aviation Authority of Vietnam said the plane failed to check in.", want: []string{"organization:civil_aviation_authority_of_vietnam"}, absent: []string{"organization:civil_aviation_authority"}},
		{body: "Officials said the Civil Aviation Administration of China grounded the fleet.", want: []string{"organization:civil_aviation_administration_of_china"}, absent: []string{"place:cn"}},
		{body: "The Civil Aviation Authority said flights resumed.", want: []string{"organization:civil_aviation_authority"}},
		{body: "Officials at the Central Bank of Cyprus said deposits fell.", want: []string{"organization:central_bank_of_cyprus"}},
	})
}

// TestATitleCaseWordBeforeAKnownBankStaysOut: a title-case headline's
// word before a bank the gazetteer knows whole is no part of the bank's
// name ("MPs Question Bank Of England Chief": the Bank of England), as a
// bank is no head that makes a run before "of" one institution.
func TestATitleCaseWordBeforeAKnownBankStaysOut(t *testing.T) {
	got := newX(t).Extract("MPs Question Bank Of England Chief Over Rates", "", "en")
	checkKeys(t, got, []string{"organization:bank_of_england"}, nil)
}
