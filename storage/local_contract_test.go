package storage_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestLocal_Contract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		l, err := storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Backend{Store: l, AddPerson: func(t *testing.T, uid, password string) string {
			name := uid + "@contoso.example"
			// The contract is about storage: a placeholder hash will do.
			if err := l.CreateAccount(info.Account{Name: name, PasswordHash: "$argon2id$placeholder"}); err != nil {
				t.Fatal(err)
			}
			return name
		}}
	})
}
