package entities

import "testing"

// TestNativeOfPlace: where one is "a native of" is a place, a town no
// list holds too ("a native of Courcouronnes").
func TestNativeOfPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He was a native of Courcouronnes, about 20 miles south of Paris.", want: []string{"place:courcouronnes", "place:paris"}},
		{body: "She is a native of Oahu.", want: []string{"place:oahu"}},
	})
}
