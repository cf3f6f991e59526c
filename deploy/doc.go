// Package deploy holds deployment artifacts; its tests lint them.
//
// The files beside this one (Dockerfile, compose.yaml, kubernetes/,
// prometheus/, grafana/) are what operators run. No Docker engine,
// Kubernetes cluster or Prometheus runs in the test suite, so the tests
// check what can be checked without them, strictly: every YAML and JSON
// file parses with unknown keys rejected; the compose file, manifests and
// rules against the essentials of their specs; PromQL through a parser;
// and the files against each other and against wirestream's own
// configuration loader (ports, paths, mounts, shutdown timeouts).
package deploy
