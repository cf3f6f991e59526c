// Command wirestream turns live news feeds into clean Kafka streams.
//
// It is a thin main: flags → config → internal/daemon's wiring → run
// until a signal. Every behaviour lives in sources/ (where stories come
// from), pipeline/ (what happens to them) and sinks/ (where records go);
// the commands around them in internal/ (tail, eval, the dev broker).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/editdist"
)

// Set by the linker: -ldflags "-X main.version=v1.2.3".
var version = "dev"

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	usage   string // full help: what it does, flags, an example
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv is what a subcommand may touch of the outside world; tests give
// it buffers and a fake environment.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// environ lists the environment (os.Environ), for the warning of a
	// WIRESTREAM_ variable nothing reads; nil lists none.
	environ func() []string
	// self is how the user ran the binary ("bin/wirestream", or "go run
	// ./cmd/wirestream"), for commands that suggest the next one.
	self string
	// tryListen tries to listen on a TCP address and lets it go, for
	// validate's warning of an address run could not have; nil tries none
	// (tests, whose machine's other processes may hold the default ports).
	tryListen func(addr string) error
	// goLog, when set (the binary; tests leave it nil), routes Go's log
	// package to the logger a long-running command makes.
	goLog *goLog
}

// tryListen listens on addr and closes it at once: what run's listeners
// will meet, asked of the system.
func tryListen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return ln.Close()
}

func commands() []*command {
	return []*command{
		runCommand(),
		validateCommand(),
		processCommand(),
		tailCommand(),
		feedsCommand(),
		statusCommand(),
		migrateCommand(),
		evalCommand(),
		versionCommand(),
	}
}

const mainUsage = `wirestream turns live news feeds into clean Kafka streams: it polls RSS,
Atom, JSON Feed and wire (ninjs) feeds politely, normalizes every item into
one story record, tells wire republications apart as duplicates (on a
topic of their own), enriches stories (language, entities, keywords,
topics), groups them into events, raises keyword-spike alerts, and
publishes everything to Kafka topics.

Usage:
  wirestream <command> [flags] [args]

Commands:
%s
Run "wirestream <command> --help" for a command's flags and an example.

Quick start (no setup, no network: demo feeds and an in-memory broker):
  wirestream run --demo
`

func main() {
	// A closed stdout or stderr makes writes fail with EPIPE rather than
	// kill the process past its cleanups (stdoutWriter says why).
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals()...)
	defer stop()
	env := &cliEnv{stdin: os.Stdin, stdout: stdoutWriter{os.Stdout}, stderr: os.Stderr, getenv: os.Getenv, environ: os.Environ, self: selfCommand(os.Args[0]), tryListen: tryListen,
		goLog: routeGoLog(os.Stderr)}
	os.Exit(dispatch(ctx, env, os.Args[1:]))
}

// stopSignals are the signals that stop a command cleanly, its deferred
// cleanups run: Ctrl-C, SIGTERM, and SIGHUP (the terminal of a `make demo`
// closed), unless SIGHUP was ignored when we started: under nohup it must
// stay ignored, and Notify would undo that.
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// dispatch runs one subcommand and returns the process exit code:
// 0 success, 1 failure, 2 bad usage, or a command's own (codedExit).
func dispatch(ctx context.Context, env *cliEnv, args []string) int {
	cmds := commands()
	if len(args) == 0 {
		printMainUsage(env.stderr, cmds) // a mistake: usage on stderr, exit 2
		return 2
	}
	if args[0] == "help" && len(args) > 1 {
		// `wirestream help run`, as git and go take it: run's own help
		// (round 42; before, the main usage whatever followed).
		args = append(args[1:len(args):len(args)], "--help")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		printMainUsage(env.stdout, cmds) // asked for: on stdout, so `| less` works
		return 0
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		// An error names the subcommand that gave it (`wirestream feeds
		// status: --health: …`); before round 31 every feeds subcommand's
		// began "wirestream feeds:".
		name := helpName(c, args[1:])
		var ec codedExit
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ec):
			fmt.Fprintf(env.stderr, "wirestream %s: %v\n", name, err)
			return ec.code
		case errors.As(err, new(usageError)):
			fmt.Fprintf(env.stderr, "wirestream %s: %v\nRun \"wirestream %s --help\" for usage.\n", name, err, name)
			return 2
		default:
			fmt.Fprintf(env.stderr, "wirestream %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(env.stderr, "wirestream: unknown command %q%s\n\n", args[0], unknownCommandHint(cmds, args[0]))
	printMainUsage(env.stderr, cmds)
	return 2
}

// recordCommands are words for what `tail` reads, typed as a command:
// `wirestream spikes` or `wirestream alerts` to see the alerts.
var recordCommands = map[string]string{
	"alert": "alert", "alerts": "alert", "spike": "alert", "spikes": "alert",
	"story": "story", "stories": "story", "event": "event", "events": "event",
	"duplicate": "duplicate", "duplicates": "duplicate",
	"dead_letter": "dead_letter", "dead_letters": "dead_letter", "feed_status": "feed_status",
}

// commandWords are other tools' words for a command, too far from its
// name for a spelling hint, with what that command does: a newcomer types
// `wirestream start` or `wirestream check --config F` and got the usage
// alone (round 42).
var commandWords = map[string]struct{ cmd, why string }{
	"start": runWord, "serve": runWord, "daemon": runWord, "up": runWord,
	"check": validateWord, "lint": validateWord, "config": validateWord,
}

var (
	runWord      = struct{ cmd, why string }{"run", "run starts the service"}
	validateWord = struct{ cmd, why string }{"validate", "validate checks a configuration"}
)

// unknownCommandHint is what an unknown command most likely meant: the
// nearest command (`stauts`: status), or the `tail` of the records it
// names (`spikes`: tail alert); "" when neither. Before round 31 the
// usage followed with no word of either.
func unknownCommandHint(cmds []*command, name string) string {
	if rt, ok := recordCommands[strings.ToLower(name)]; ok {
		return fmt.Sprintf(" (did you mean \"wirestream tail %s\"? a topic's records are read with tail)", rt)
	}
	if w, ok := commandWords[strings.ToLower(name)]; ok {
		return fmt.Sprintf(" (did you mean %q? %s)", w.cmd, w.why)
	}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	if near := editdist.Closest(strings.ToLower(name), names, 3); near != "" {
		return fmt.Sprintf(" (did you mean %q?)", near)
	}
	return ""
}

// noArguments refuses the arguments of a command that takes none, and
// says --config when the first is a YAML file: `wirestream status
// wirestream.yaml` said only "takes no arguments", where `run
// wirestream.yaml` named --config.
func noArguments(cmd string, rest []string) error {
	if ext := strings.ToLower(filepath.Ext(rest[0])); ext == ".yaml" || ext == ".yml" {
		return usagef("%s takes no arguments, got %q: give a configuration file with --config (wirestream %s --config %s)", cmd, rest, cmd, rest[0])
	}
	return usagef("%s takes no arguments, got %q", cmd, rest)
}

// helpName is the command whose --help lists the flags of the one that
// was called: a feeds subcommand's own (feeds status has a help of its
// own; feeds add --help ends on add's flags), not feeds import's.
func helpName(c *command, args []string) string {
	if c.name == "feeds" && len(args) > 0 && (args[0] == "status" || feedsTopicCommands[args[0]] != nil) {
		return c.name + " " + args[0]
	}
	return c.name
}

func printMainUsage(w io.Writer, cmds []*command) {
	list := ""
	for _, c := range cmds {
		list += fmt.Sprintf("  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, mainUsage, list)
}

// codedExit is an outcome a command reports with an exit code of its own,
// not a failure to do what it was asked: status's 3, a deployment that
// needs a look.
type codedExit struct {
	code int
	msg  string
}

func (e codedExit) Error() string { return e.msg }

// usageError is a mistake in how the command was called (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// newFlagSet returns a flag set whose --help prints the command's usage
// on stdout. A bad flag prints nothing here: dispatch reports it once,
// on stderr, with a pointer to --help.
func newFlagSet(c *command, env *cliEnv) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printHelp(env.stdout, c.usage, "", fs) }
	return fs
}

// printHelp prints a command's help and its flags; note, when not empty,
// says under "Flags:" whose flags they are, and a command without flags
// says so rather than end on an empty heading.
func printHelp(w io.Writer, usage, note string, fs *flag.FlagSet) {
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if !has {
		fmt.Fprintf(w, "%s\n\nFlags: none\n", usage)
		return
	}
	fmt.Fprintf(w, "%s\n\nFlags:\n", usage)
	if note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	listed := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if _, ignored := f.Value.(ignoredFlag); !ignored {
			listed.Var(f.Value, f.Name, f.Usage)
			listed.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	listed.SetOutput(w)
	listed.PrintDefaults()
}

// parseFlags parses flags and reports bad ones as usage errors. Go's flag
// package stops at the first positional argument; we let flags follow
// positionals too ("tail TOPIC --json") because people type them that way.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	restore := refuseRepeats(fs)
	defer restore()
	var positional []string
	// The flag package calls Usage on every parse error; only --help
	// should print it.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				// The flag package prints a default by comparing it with a
				// zero value of the flag's type: the wrapper's zero has no
				// value inside, so help is printed from the flags as declared.
				restore()
				usage()
				return nil, err
			}
			if r := repeated(fs); r != nil {
				return nil, usageError{r.Error()}
			}
			return nil, usageError{unknownFlagHint(fs, flagValueError(fs, err)).Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// repeatable is a flag value meant to be given several times (--tag).
type repeatable interface{ repeatable() }

func (*stringList) repeatable() {}

// onceValue refuses a flag's second value. Go's flag package keeps the
// last one without a word, so `run --config a.yaml --config b.yaml` ran
// on b.yaml alone; a mistyped command line says so instead.
type onceValue struct {
	flag.Value
	name   string
	first  string // the value given first, for the message
	set    bool
	repeat error // the refusal, reported as it is by parseFlags
}

func (o *onceValue) Set(s string) error {
	if o.set {
		o.repeat = fmt.Errorf("flag --%s given twice (%q, then %q): give it once", o.name, o.first, s)
		return o.repeat
	}
	o.set, o.first = true, s
	return o.Value.Set(s)
}

// repeated is the refusal of a flag given twice, if that is what stopped
// the parse: the flag package's own wording around it adds nothing.
func repeated(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if o, ok := f.Value.(*onceValue); ok && o.repeat != nil {
			err = o.repeat
		}
	})
	return err
}

// IsBoolFlag and Get pass through what the flag package and
// flagValueError ask of the value it wraps.
func (o *onceValue) IsBoolFlag() bool {
	b, ok := o.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (o *onceValue) Get() any {
	if g, ok := o.Value.(flag.Getter); ok {
		return g.Get()
	}
	return nil
}

// refuseRepeats wraps every flag of fs that is not repeatable in a
// onceValue and returns the function that unwraps them again (help's
// defaults and later parses see the flags as they were declared).
func refuseRepeats(fs *flag.FlagSet) (restore func()) {
	var wrapped []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(repeatable); ok {
			return
		}
		if _, ok := f.Value.(*onceValue); ok {
			return
		}
		f.Value = &onceValue{Value: f.Value, name: f.Name}
		wrapped = append(wrapped, f)
	})
	return func() {
		for _, f := range wrapped {
			f.Value = f.Value.(*onceValue).Value
		}
		wrapped = nil // a second call (help's, then the deferred one) does nothing
	}
}

// undefinedFlag is the flag package's message for a flag the command
// does not have: `flag provided but not defined: -from-begining`.
var undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)

// unknownFlagHint adds the command's nearest flag to the flag package's
// refusal of one it does not have, as an unknown configuration key gets
// its nearest key: `tail story --from-begining` said only "flag provided
// but not defined" (round 31's newcomer).
func unknownFlagHint(fs *flag.FlagSet, err error) error {
	m := undefinedFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if near := editdist.Closest(strings.ToLower(m[1]), names, 3); near != "" {
		return fmt.Errorf("%v (did you mean --%s?)", err, near)
	}
	return err
}

// badFlagValue is the flag package's message for a value its parser
// refused: `invalid value "5" for flag -min-interval: parse error`.
var badFlagValue = regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag -([^:]+): parse error$`)

// flagValueError says what a duration or number flag takes, as a
// configuration key's problem does ("want a duration such as 90s or
// 10m"): the flag package says only "parse error". Other errors, and
// flags of other types (whose own Set says why), are returned as they are.
func flagValueError(fs *flag.FlagSet, err error) error {
	m := badFlagValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return err
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return err
	}
	var want string
	switch g.Get().(type) {
	case time.Duration:
		want = "a duration such as 90s or 10m"
	case int, int64, uint, uint64:
		want = "a whole number"
	case float64:
		want = "a number"
	default:
		return err
	}
	hint := ""
	if want == "a duration such as 90s or 10m" {
		if got, err := strconv.Unquote(m[1]); err == nil {
			hint = config.DurationProblemHint(got)
		}
	}
	return fmt.Errorf("--%s: want %s, got %s%s", f.Name, want, m[1], hint)
}

func versionCommand() *command {
	c := &command{name: "version", summary: "print the version", usage: `Usage: wirestream version

Prints wirestream's version and the record schema version.

Example:
  wirestream version`}
	c.run = func(_ context.Context, env *cliEnv, args []string) error {
		fs := newFlagSet(c, env)
		if rest, err := parseFlags(fs, args); err != nil {
			return err
		} else if len(rest) > 0 {
			return usagef("version takes no arguments, got %q", rest)
		}
		fmt.Fprintf(env.stdout, "wirestream %s (record schema %s)\n", version, schemaVersion())
		return nil
	}
	return c
}
