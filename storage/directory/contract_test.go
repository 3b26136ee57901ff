package directory_test

import (
	"testing"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/storage/storetest"
)

// open starts a slapd with the base tree and opens a Directory on it as
// the station.
func open(t *testing.T) (*directory.Directory, *slapdtest.Server) {
	t.Helper()
	s := slapdtest.Start(t, slapdtest.Options{})
	d, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d, s
}

func configFor(s *slapdtest.Server) directory.Config {
	return directory.Config{
		URL: s.URL, BaseDN: s.BaseDN, AccountFilter: "(|(uid=%s)(mail=%s))",
		BindDN: s.StationDN, HelpdeskGroup: dirassets.HelpdeskGroupDN,
	}
}

// stationKeyring is the station's own keyring: a local store with an
// in-memory keyring, as in the app but without the OS keyring.
func stationKeyring(t *testing.T) *storage.Local {
	l, err := storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDirectory_Contract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		d, s := open(t)
		return storetest.Backend{Store: d, AddPerson: func(t *testing.T, uid, password string) string {
			s.AddPerson(uid, password, false)
			return uid + "@contoso.example"
		}}
	})
}
