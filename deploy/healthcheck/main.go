// Command healthcheck is the container image's health probe. The runtime
// image (distroless) has no shell, curl or wget, so a compose or Docker
// HEALTHCHECK runs this instead: it GETs one URL and exits 0 on a 2xx
// answer, 1 on anything else (refused, timed out, non-2xx), printing why.
//
// Kubernetes does not need it: its probes call /healthz and /readyz itself.
//
//	/healthcheck                               # http://127.0.0.1:9464/readyz
//	/healthcheck http://127.0.0.1:9464/healthz
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// defaultURL is wirestream's readiness endpoint on its default listen address.
const defaultURL = "http://127.0.0.1:9464/readyz"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stderr))
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: healthcheck [--timeout 3s] [URL]\n\nGETs URL (default %s); exits 0 on a 2xx answer, 1 otherwise.\n", defaultURL)
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	url := defaultURL
	if fs.NArg() == 1 {
		url = fs.Arg(0)
	}
	if err := check(ctx, url, *timeout); err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	return 0
}

// check GETs url and returns an error unless the answer is 2xx.
func check(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("build request for %s: %w", url, err)
	}
	// No proxy: the probe always means this container's own listener.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return nil
}
