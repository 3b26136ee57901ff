//go:build benchprobe

package main

// Built only with -tags benchprobe (make bench): reports the first frame
// from inside the baseline window. See bench/probe.
import _ "github.com/securityinfo/securityinfo/bench/probe"
