package entities

import "testing"

// TestAOneWordReadingNoCueVouchesForTeachesTheStreamNoOneNameStar: the
// recognizer reads a capitalised given name alone as a person where no cue
// stands ("Christian leaders gather in Rome", "Madison shares rise"), a
// guess a fresh recognizer makes story by story. Learning such a reading
// as a one-name star (ObserveAlone) would spread the guess to every later
// title-case headline the word opens or stands in, where a fresh
// recognizer reads no one: "Obama Meets Christian Leaders At White House",
// "Madison Square Garden Sale Talks". Only a cue vouches for a star of one
// name ("singer Beyonce said"), so only a cued reading teaches the memory
// the word alone (round 37 review).
func TestAOneWordReadingNoCueVouchesForTeachesTheStreamNoOneNameStar(t *testing.T) {
	for _, tt := range []struct {
		earlier []string
		title   string
		absent  string
	}{
		{[]string{"Christian leaders gather in Rome", "Christian groups protest the new law"}, "Obama Meets Christian Leaders At White House", "person:christian"},
		{[]string{"Madison shares rise on sale talk", "Madison agrees to the sale"}, "Madison Square Garden Sale Talks", "person:madison"},
	} {
		x := newX(t)
		checkKeys(t, x.Extract(tt.title, "", "en"), nil, []string{tt.absent})
		readEarlierHeadlines(x, tt.earlier...)
		checkKeys(t, x.Extract(tt.title, "", "en"), nil, []string{tt.absent})
	}
	// the cued star is still learned (TestAOneNameStarTheStreamReadsIsReadWhereNoCueVouches)
	x := newX(t)
	readEarlierHeadlines(x, "Pop star Beyonce says she backs the campaign", "Singer Beyonce said she was proud")
	checkKeys(t, x.Extract("Sheryl Sandberg And Beyonce Want To Ban The Word 'Bossy'", "", "en"), []string{"person:beyonce"}, nil)
}
