package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/pipeline/record"
)

func tailCommand() *command {
	c := &command{name: "tail", summary: "print the records of a topic, one line each", usage: `Usage: wirestream tail [flags] TOPIC

Prints the records of a wirestream topic readably, one line each: a
story's time, publisher, title and event; a duplicate's original; an
event's size; an alert's term and counts. Each line starts with a time
after the name of its record's field: "published" for a story,
"seen_at" for a duplicate (when the copy was seen), "last_seen" for an
event, "at" for an alert or a dead letter, "last_attempt" for a
feed_status. TOPIC is a record type (story,
duplicate, event, alert, feed_status, dead_letter), a topic's configured
name (stories) or a full topic name. Brokers, TLS and SASL come from the
configuration; with none configured, the embedded broker's address.

Examples:
  wirestream tail story --from-beginning
  wirestream tail alert --json | jq .term
  wirestream tail --brokers kafka-1:9092 --group news-desk event`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newReaderFlagSet(c, env)
		fromBeginning := fs.Bool("from-beginning", false, "start at the oldest record instead of the newest (with --group: a group that has committed offsets resumes at them)")
		group := fs.String("group", "", "consume as consumer `group` (a record is committed once written: it resumes at the first one not written)")
		asJSON := fs.Bool("json", false, "print each record's JSON value as it is")
		exitAtEnd := fs.Bool("exit", false, "stop after reading up to the end of the topic (like kcat -e); not with --group")
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			// The record types named: a newcomer's first try is often
			// a bare `tail`, and the types are what it reads.
			types := make([]string, len(record.Types))
			for i, t := range record.Types {
				types[i] = string(t)
			}
			kinds := strings.Join(types[:len(types)-1], ", ") + " or " + types[len(types)-1]
			if len(rest) == 0 {
				return usagef("want exactly one TOPIC (%s), got 0 arguments", kinds)
			}
			return usagef("want exactly one TOPIC (%s), got %d arguments: %s", kinds, len(rest), strings.Join(rest, " "))
		}
		if *exitAtEnd && *group != "" {
			return usagef("--exit and --group do not go together: a group's readers share its partitions and follow them without an end; " +
				"to read what the topic holds and stop, give --exit (with --from-beginning) without --group")
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		embedded := readEmbeddedIfNone(&cfg)
		out := &countingWriter{w: env.stdout}
		err = tail.Tail(ctx, cfg.Kafka, rest[0], tail.Options{
			FromBeginning: *fromBeginning, Group: *group, JSON: *asJSON, ExitAtEnd: *exitAtEnd,
			Note: func(note string) { fmt.Fprintln(env.stderr, "tail: "+note) },
		}, out)
		if errors.Is(err, context.Canceled) || stdoutClosed(err) {
			return nil // Ctrl-C is how one stops tailing, and so is `| head -n 5`
		}
		if err == nil && *exitAtEnd && out.n == 0 {
			// Silence told an empty topic from nothing; and kcat -C -e,
			// which the README sets beside tail, starts at the beginning.
			topic := cfg.Kafka.ResolveTopic(rest[0])
			if *fromBeginning {
				fmt.Fprintf(env.stderr, "tail: no records in %s: it is empty\n", topic)
			} else {
				fmt.Fprintf(env.stderr, "tail: no records: --exit without --from-beginning starts at the end of %s and stops there; add --from-beginning to read what it holds\n", topic)
			}
		}
		return withBrokerHint(err, cfg.Kafka.Brokers, embedded, brokersChosenBy(cfg))
	}
	return c
}

// withBrokerHint adds what to check to an error that means no broker
// answered: "connection refused" alone does not say that tail reads the
// embedded broker of a running `wirestream run` unless told otherwise.
// Any refusal, connection timeout or failed lookup counts: the commands
// that use it talk only to Kafka, and the classic mistake, a broker that
// advertises a listener this host cannot reach, fails at an address the
// user did not configure.
func withBrokerHint(err error, brokers []string, embedded bool, chosenBy string) error {
	var dnsErr *net.DNSError
	var opErr *net.OpError // a timeout of a connection, not a context's deadline alone
	if err == nil || !(errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) || errors.As(err, &opErr) && opErr.Timeout()) {
		return err
	}
	addrs := strings.Join(brokers, ",")
	if embedded {
		return fmt.Errorf("%w\nno Kafka broker answers at %s, where the embedded broker of `wirestream run` (and `make demo`) listens: is it running? "+
			"For a real cluster pass --brokers host:port, or set kafka.brokers in --config or WIRESTREAM_KAFKA_BROKERS", err, addrs)
	}
	from := "(--brokers, kafka.brokers or WIRESTREAM_KAFKA_BROKERS chose it)"
	if chosenBy != "" {
		from = "(from " + chosenBy + ")"
	}
	return fmt.Errorf("%w\nno Kafka broker answers at %s: is it running and reachable from here? %s%s",
		err, addrs, from, eachBroker(brokers))
}

// brokersChosenBy names what set cfg's kafka.brokers, as a problem with
// a value names it: the flag or the environment variable, or the file and
// its line; "" when none of them did.
func brokersChosenBy(cfg config.Config) string {
	if by := cfg.SetBy("kafka.brokers"); by != "" {
		return by
	}
	if line := cfg.KeyLine("kafka.brokers"); line > 0 && cfg.Path() != "" {
		return fmt.Sprintf("kafka.brokers, %s line %d", cfg.Path(), line)
	}
	return ""
}

// eachBroker says what each of several brokers answers a connection now:
// the error above is the last address kafka-go tried, and with two dead
// brokers the first one's reason ("connection refused" beside the
// other's "no such host") was lost. A broker that accepts a connection
// points at the classic mistake, a listener it advertises that this host
// cannot reach.
func eachBroker(brokers []string) string {
	if len(brokers) < 2 {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), brokerDialTimeout)
	defer cancel()
	var b strings.Builder
	b.WriteString("; each, tried again:")
	for i, err := range dialBrokers(ctx, brokers) {
		why := "accepts a connection: check the listeners it advertises (advertised.listeners) are reachable from here"
		if err != nil {
			why = err.Error()
		}
		fmt.Fprintf(&b, "\n  %s: %s", brokers[i], why)
	}
	return b.String()
}

// countingWriter counts the writes that carried bytes: whether tail
// printed anything.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		c.n++
	}
	return c.w.Write(p)
}
