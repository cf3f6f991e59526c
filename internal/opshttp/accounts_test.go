package opshttp

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Two accounts of one paid feed — the same URL but for its secret — are two feeds, polled
// apart, each with its own line on /status; both lines said the same URL as logs say it, and
// nothing told which account was failing. Each now says its account (the first digits of its
// key's hash, as `feeds status` does), the same when the filter shows it alone, and never the
// secret.
func TestStatusPageTellsTwoAccountsOfOneFeedApart(t *testing.T) {
	a, b := "https://paid.example/rss?token=ACCOUNT-A-S3CRET", "https://paid.example/rss?token=ACCOUNT-B-S3CRET"
	said := record.RedactURL(a)
	now := time.Now()
	s, base := serve(t)
	s.SetStatus(fixedStatus{feeds: []record.FeedStatus{
		{FeedURL: said, Key: record.FeedKey(a), Health: record.HealthFailing, LastError: "HTTP 401", NextPoll: now.Add(time.Minute)},
		{FeedURL: said, Key: record.FeedKey(b), Health: record.HealthOK, NextPoll: now.Add(time.Minute)},
		{FeedURL: "https://open.example/rss", Key: "https://open.example/rss", Health: record.HealthOK, NextPoll: now.Add(time.Minute)},
	}})
	label := regexp.MustCompile(`account [0-9a-f]{8}`)
	_, page := get(t, base+"/status")
	if strings.Contains(page, "S3CRET") {
		t.Fatalf("/status says a secret:\n%s", page)
	}
	labels := label.FindAllString(page, -1)
	if len(labels) != 2 || labels[0] == labels[1] {
		t.Errorf("/status labels the accounts %q; want two labels that differ", labels)
	}
	_, failing := get(t, base+"/status?health=failing")
	if got := label.FindAllString(failing, -1); len(got) != 1 {
		t.Errorf("/status?health=failing labels %q; want the failing account's label, shown alone", got)
	}
}
