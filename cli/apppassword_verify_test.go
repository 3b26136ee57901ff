package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// app-password verify asks for the store without the keyring repair
// (Globals.NoSecrets); the commands that use secrets don't.
func TestAppPasswordVerify_OpensWithoutKeyringRepair(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"app-password", "verify", "alice@contoso.example"}, true},
		{[]string{"user", "list"}, false},
	} {
		var got *Globals
		Run(tc.args, Env{Stdin: strings.NewReader("abcdefghijklmnop\n"), Stdout: io.Discard, Stderr: io.Discard,
			Open: func(g Globals) (info.Store, error) {
				got = &g
				return storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
			}})
		if got == nil || got.NoSecrets != tc.want {
			t.Errorf("%v: opened with %+v, want NoSecrets %v", tc.args, got, tc.want)
		}
	}
}
