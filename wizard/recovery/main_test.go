package recovery_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
)

// TestMain runs the tests with argon2id at its cheapest (testkit.Main):
// none of them is about the hash's cost, and the checks they count are
// still made.
func TestMain(m *testing.M) { testkit.Main(m) }
