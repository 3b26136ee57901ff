package directory_test

import (
	"os"
	"strings"
	"testing"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/storage/storetest"
)

// open starts a slapd with the base tree (opts: at most one, e.g. a
// lower MaxFailure for a test of what ppolicy's lock-out does) and opens
// the directory on it as the station.
func open(t *testing.T, opts ...slapdtest.Options) (*directory.Directory, *slapdtest.Server) {
	t.Helper()
	var o slapdtest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	s := slapdtest.Start(t, o)
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

// TestDirectory_Contract runs every Store operation against slapd with
// the configuration we ship, and fails if slapd answered a search of
// them without an index (a scan of every entry, whose cost grows with the
// directory): slapd logs those at its "filter" level.
func TestDirectory_Contract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		s := slapdtest.Start(t, slapdtest.Options{Debug: "filter"})
		t.Cleanup(func() { requireIndexed(t, s) })
		d, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { d.Close() })
		return storetest.Backend{Store: d, AddPerson: func(t *testing.T, uid, password string) string {
			s.AddPerson(uid, password, false)
			return uid + "@contoso.example"
		}}
	})
}

// requireIndexed fails t for each filter part slapd (run at Debug
// "filter") had no index for, e.g. "<= mdb_equality_candidates: (siKind)
// not indexed".
func requireIndexed(t *testing.T, s *slapdtest.Server) {
	t.Helper()
	b, err := os.ReadFile(s.LogFile)
	if err != nil {
		t.Fatalf("slapd's log: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		i := strings.Index(line, "<= mdb_")
		if i < 0 || !strings.HasSuffix(line, "not indexed") || seen[line[i:]] {
			continue
		}
		seen[line[i:]] = true
		t.Errorf("slapd searched without an index: %s (add an index line to assets/directory/slapd.conf, or narrow the search)", line[i:])
	}
}
