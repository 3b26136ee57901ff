//go:build benchprobe

package main

// Built only with -tags benchprobe (make bench): reports the first frame
// from inside the app. See bench/probe.
import _ "github.com/securityinfo/securityinfo/bench/probe"
