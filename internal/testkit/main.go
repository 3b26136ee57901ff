package testkit

import (
	"flag"
	"os"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Main runs a package's tests with argon2id at the cheapest cost
// (secret.UseLowCostForTests), for packages whose tests are not about the
// hash's cost: at the app's 19 MiB it was most of their CPU time under
// the race detector. Every check is still made and counted
// (secret.Checks), so the tests that two paths do the same work still
// count the real calls; the app's parameters are tested in wizard/secret.
// With -bench the cost stays the app's, so that benchmarks measure what
// the app does. Call it as a package's TestMain: func TestMain(m
// *testing.M) { testkit.Main(m) }.
func Main(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		secret.UseLowCostForTests(true)
	}
	os.Exit(m.Run())
}
