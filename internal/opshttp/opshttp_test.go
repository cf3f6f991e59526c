package opshttp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "wirestream_test_things_total", Help: "test"})
	reg.MustRegister(c)
	c.Inc()
	s, err := New("127.0.0.1:0", reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Serve() }()
	defer func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	base := "http://" + s.Addr()

	brokerDown := errors.New("dial tcp 127.0.0.1:9: connection refused")
	var brokerErr error
	s.AddCheck("kafka", func(context.Context) error { return brokerErr })
	s.AddCheck("state", func(context.Context) error { return nil })

	if code, body := get(t, base+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthz = %d %q, want 200 ok", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Errorf("readyz with all checks passing = %d %q, want 200", code, body)
	}
	brokerErr = brokerDown
	code, body := get(t, base+"/readyz")
	if code != 503 || !strings.Contains(body, "kafka: not ready: dial tcp") || strings.Contains(body, "state") {
		t.Errorf("readyz with the broker down = %d %q, want 503 naming only kafka", code, body)
	}
	if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, "wirestream_test_things_total 1") {
		t.Errorf("metrics = %d, body lacks the registered counter:\n%s", code, body)
	}
}
