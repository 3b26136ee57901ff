// Package directory holds the OpenLDAP directory that Security Info's
// directory backend runs against: the securityinfo schema, the slapd.conf
// and replication templates, the base tree and the demo people (see
// README.md in this directory). The files are embedded so that tests
// (storage/directory/slapdtest) and tools get the same bytes as the repo.
package directory

import "embed"

// Files holds the directory's files: securityinfo.schema,
// securityinfo.ldif, slapd.conf, replication.conf, base.ldif and
// demo-people.ldif.
//
//go:embed securityinfo.schema securityinfo.ldif slapd.conf replication.conf base.ldif demo-people.ldif
var Files embed.FS

// Names in the directory tree the files lay out (base.ldif).
const (
	// BaseDN is the suffix of the tree.
	BaseDN = "dc=contoso,dc=example"
	// RootDN is the database's rootdn: it loads the tree and replicates;
	// the app never binds as it.
	RootDN = "cn=admin," + BaseDN
	// PeopleDN holds people: uid=NAME,PeopleDN (inetOrgPerson).
	PeopleDN = "ou=people," + BaseDN
	// StationsDN holds the station accounts the app binds as.
	StationsDN = "ou=stations," + BaseDN
	// StationDN is the station account base.ldif creates.
	StationDN = "cn=station1," + StationsDN
	// GroupsDN holds groups.
	GroupsDN = "ou=groups," + BaseDN
	// HelpdeskGroupDN is the groupOfNames whose members may use helpdesk mode.
	HelpdeskGroupDN = "cn=securityinfo-helpdesk," + GroupsDN
	// TOTPParamsDN is the slapo-otp parameters entry for authenticator
	// apps: SHA1, 6 digits, 30 s, window 1.
	TOTPParamsDN = "cn=totp-sha1-6-30,ou=oath," + BaseDN
	// DefaultPolicyDN is ppolicy's default password policy.
	DefaultPolicyDN = "cn=default,ou=policies," + BaseDN
	// StationPolicyDN is the password policy of station accounts (no lock-out).
	StationPolicyDN = "cn=stations,ou=policies," + BaseDN
	// AuditDN holds the audit log: siAuditId=ID,AuditDN (siAuditEntry).
	AuditDN = "ou=audit," + BaseDN
	// TriesDN holds the failures of names that name no account:
	// cn=SLOT,TriesDN (siTrySlot), and the slot key (siTryKey).
	TriesDN = "ou=tries," + BaseDN
	// StationPasswordPlaceholder is replaced in base.ldif by the station's password.
	StationPasswordPlaceholder = "@STATION_PASSWORD@"
)

// PersonDN is the DN of the person with the given uid (not escaped: a
// plain name without DN special characters).
func PersonDN(uid string) string { return "uid=" + uid + "," + PeopleDN }
