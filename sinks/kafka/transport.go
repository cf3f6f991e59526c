package kafka

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// clientID names wirestream in broker logs and quotas.
const clientID = "wirestream"

// tlsConfig builds the TLS client configuration, or nil when TLS is off.
func (t TLSConfig) tlsConfig() (*tls.Config, error) {
	if !t.Enabled {
		return nil, nil
	}
	c := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.InsecureSkipVerify, //nolint:gosec // an explicit, documented opt-in
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("kafka.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("kafka.tls.ca_file: no PEM certificate in %s", t.CAFile)
		}
		c.RootCAs = pool
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("kafka.tls.cert_file/key_file: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}

// mechanism builds the SASL mechanism, or nil when SASL is off. The
// password must already be resolved (Config.ResolveSecrets).
func (s SASLConfig) mechanism() (sasl.Mechanism, error) {
	switch s.Mechanism {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Mechanism{Username: s.Username, Password: s.Password}, nil
	case "SCRAM-SHA-256", "SCRAM-SHA-512":
		algo := scram.SHA256
		if s.Mechanism == "SCRAM-SHA-512" {
			algo = scram.SHA512
		}
		m, err := scram.Mechanism(algo, s.Username, s.Password)
		if err != nil {
			return nil, fmt.Errorf("kafka.sasl: %w", err)
		}
		return m, nil
	default:
		return nil, fmt.Errorf("kafka.sasl.mechanism: unknown %q", s.Mechanism)
	}
}

// Conn is how the sink, readers of its topics (wirestream tail) and the
// scale-out roles' group members and tables (internal/kafkagroup,
// internal/kafkatable) reach the brokers: one TLS and SASL setup shared by
// Writers' Transports, admin clients and readers' Dialers.
type Conn struct {
	brokers []string
	tls     *tls.Config
	sasl    sasl.Mechanism
	// checkOnly is kafka.provision off (CheckOnly): Provision creates no
	// topic and checks that the ones asked for exist.
	checkOnly bool
}

// CheckOnly returns c for a configuration with kafka.provision off:
// Provision through it creates no topic, it checks that they exist. (A
// Conn does not read Config.Provision itself: a Config written as a
// literal has it false without meaning it.)
func (c Conn) CheckOnly() Conn {
	c.checkOnly = true
	return c
}

// NewConn checks the brokers, TLS and SASL settings of c (secrets already
// resolved, see Config.ResolveSecrets).
func NewConn(c Config) (Conn, error) {
	if len(c.Brokers) == 0 {
		return Conn{}, fmt.Errorf("kafka.brokers: no broker given")
	}
	t, err := c.TLS.tlsConfig()
	if err != nil {
		return Conn{}, err
	}
	m, err := c.SASL.mechanism()
	if err != nil {
		return Conn{}, err
	}
	return Conn{brokers: c.Brokers, tls: t, sasl: m}, nil
}

// Transport returns a new kafka-go Transport (for a Writer or Client) with
// the connection's TLS and SASL setup: the sink's Writers and admin
// clients, and the consumer-group members and table readers of the
// scale-out roles, build theirs from the sink's Conn. Each caches metadata
// for metadataTTL (0: kafka-go's 6 s) and pools connections; close them
// with CloseIdleConnections when done.
func (c Conn) Transport(metadataTTL time.Duration) *kafka.Transport {
	return &kafka.Transport{
		Dial:        (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		DialTimeout: 5 * time.Second,
		MetadataTTL: metadataTTL,
		ClientID:    clientID,
		TLS:         c.tls,
		SASL:        c.sasl,
	}
}

// Brokers are the bootstrap addresses.
func (c Conn) Brokers() []string { return c.brokers }

// Client returns an admin client on its own short-lived transport, so its
// metadata is fresh rather than the Writer's cached view. Call done after.
// timeout bounds each request, and is also the transport's metadata TTL:
// kafka-go gives a transport's discovery request (the first request of a
// new client waits for it) its TTL as deadline, and a 1 s TTL failed
// starts on a loaded broker (round 13 soak). Its cached metadata is not
// refreshed within timeout: ask a new client for news (see AdminClient).
func (c Conn) Client(timeout time.Duration) (cl *kafka.Client, done func()) {
	tr := c.Transport(max(timeout, time.Second))
	return &kafka.Client{Addr: kafka.TCP(c.brokers...), Transport: tr, Timeout: timeout}, tr.CloseIdleConnections
}

// Dialer returns a dialer for kafka-go's Conn-based clients (the consumer group, Reader).
// Its connections never let a broker create a topic (noautocreate.go); its TLS is done in
// DialFunc, so it has none of its own.
func (c Conn) Dialer(timeout time.Duration) *kafka.Dialer {
	return &kafka.Dialer{ClientID: clientID, Timeout: timeout, DualStack: true, SASLMechanism: c.sasl, DialFunc: c.dialNoAutoCreate}
}

func compressionCodec(name string) (compress.Compression, error) {
	switch name {
	case "zstd":
		return kafka.Zstd, nil
	case "snappy":
		return kafka.Snappy, nil
	case "lz4":
		return kafka.Lz4, nil
	case "gzip":
		return kafka.Gzip, nil
	case "none":
		return 0, nil
	default:
		return 0, fmt.Errorf("want zstd, snappy, lz4, gzip or none, got %q", name)
	}
}

func balancer(name string) kafka.Balancer {
	if name == "murmur2" {
		// Consistent: a key never moves partition because a partition was
		// briefly unavailable, which is what compaction and per-key order need.
		return &kafka.Murmur2Balancer{Consistent: true}
	}
	return &kafka.Hash{}
}
