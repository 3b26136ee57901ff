package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The commands that only read ask for the store read-only
// (Globals.ReadOnly: no repair, no write); the ones that write don't.
func TestReadingCommands_OpenReadOnly(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"audit", "list"}, true},
		{[]string{"audit", "list", "--account", "alice@contoso.example"}, true},
		{[]string{"user", "list"}, true},
		{[]string{"user", "show", "alice@contoso.example"}, true},
		{[]string{"app-password", "list", "alice@contoso.example"}, true},
		{[]string{"user", "add", "bob@contoso.example"}, false},
		{[]string{"user", "reset", "alice@contoso.example"}, false},
		{[]string{"user", "unlock", "alice@contoso.example"}, false},
		{[]string{"app-password", "delete", "alice@contoso.example", "mail"}, false},
		{[]string{"app-password", "verify", "alice@contoso.example"}, false},
	} {
		var got *Globals
		Run(tc.args, Env{Stdin: strings.NewReader("abcdefghijklmnop\n"), Stdout: io.Discard, Stderr: io.Discard,
			Open: func(g Globals) (info.Store, error) {
				got = &g
				return storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
			}})
		if got == nil || got.ReadOnly != tc.want {
			t.Errorf("%v: opened with %+v, want ReadOnly %v", tc.args, got, tc.want)
		}
	}
}
