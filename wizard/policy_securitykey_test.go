package wizard

import (
	"strings"
	"testing"
)

func TestParsePolicy_SecurityKeySettings(t *testing.T) {
	base := "organisation = \"Contoso\"\nrequired = [\"security-key\"]\n"
	p, err := ParsePolicy("p.toml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if k := p.SecurityKey; k.RPID != "securityinfo.local" || k.UserVerification || k.ResidentKey || len(k.AAGUIDs) != 0 {
		t.Errorf("defaults = %+v", k)
	}
	p, err = ParsePolicy("p.toml", []byte(base+"[directory]\nurl = \"ldaps://ldap.contoso.example\"\nbase_dn = \"dc=Contoso, dc=example\"\nbind_dn = \"cn=s\"\n"))
	if err != nil || p.SecurityKey.RPID != "contoso.example" {
		t.Errorf("rp_id from the directory's base DN = %q, %v", p.SecurityKey.RPID, err)
	}
	p, err = ParsePolicy("p.toml", []byte("rp_id = \"Login.Contoso.Example\"\nsecurity_key_uv = true\nresident_key = true\n"+
		"security_key_aaguids = [\"CB69481E-8FF7-4039-93EC-0A2729A154A8\"]\n"+base))
	if err != nil {
		t.Fatal(err)
	}
	if k := p.SecurityKey; k.RPID != "login.contoso.example" || !k.UserVerification || !k.ResidentKey || len(k.AAGUIDs) != 1 || k.AAGUIDs[0] != "cb69481e-8ff7-4039-93ec-0a2729a154a8" {
		t.Errorf("settings = %+v", k)
	}
	for text, want := range map[string]string{
		"rp_id = \"https://contoso.example\"\n":  "p.toml:1: rp_id \"https://contoso.example\" is not a domain name",
		"rp_id = \"contoso.example:443\"\n":      "is not a domain name",
		"security_key_aaguids = [\"yubikey\"]\n": "p.toml:1: security_key_aaguids: \"yubikey\" is not an AAGUID",
	} {
		_, err := ParsePolicy("p.toml", []byte(text+base))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}
