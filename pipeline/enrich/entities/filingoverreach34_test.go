package entities

import "testing"

// TestABareFilingNamesNoBookOrChapterOfALife (review of round 34): a
// filing written without "for" ("files Chapter 11", "returns to Chapter
// 11") reads "Chapter" as bankruptcy's only with a bankruptcy chapter's
// number and no "of" after it; a book's or a life's chapter ("returns to
// Chapter 11 of her saga", "files chapter on …", "Returns To Chapter
// One") names no company.
func TestABareFilingNamesNoBookOrChapterOfALife(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Novelist Ferrante returns to Chapter 11 of her saga", absent: []string{"organization:ferrante"}},
		{title: "Okonkwo files chapter on debt crisis", absent: []string{"organization:okonkwo"}},
		{title: "Ferrante Returns To Chapter One", absent: []string{"organization:ferrante"}},
		{title: "Quellmark returns to Chapter 11 with prepack", want: []string{"organization:quellmark"}},
		{title: "Quellmark files Ch. 11 bankruptcy", want: []string{"organization:quellmark"}},
	})
}
