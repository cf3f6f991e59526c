package entities

// IsOrdinaryInitialism reports whether w, lower case, is capitals that
// abbreviate ordinary words and name no body ("ceo", "gdp", "ipo",
// "q&a"): the recognizer's acronymStop, for callers that judge a
// capitalised word's form, as keywords judges a possessive's owner
// ("CEO's blog" is a common noun's, "ECB's Noyer" a name's).
func IsOrdinaryInitialism(w string) bool { return acronymStop[w] }
