package info

import "strings"

// AccountKey is an account name as accounts compare it: without
// surrounding spaces (unicode.IsSpace), in lower case (strings.ToLower,
// rune by rune, no locale). Two names name the same account exactly when
// their keys are equal, so everything looked up, counted or rate limited
// per account is keyed by it: the stores' records and keyring items, the
// try slots (TrySlot), the directory's cache of DNs, the code senders'
// per-account caps, the questions' daily draw, security keys' user
// handles. It is the one home of that rule: a place that folded a name its
// own way would count or find "  Alex@Contoso.Example " apart from
// "alex@contoso.example". Keys are kept (the local store's bucket keys,
// keyring user names, hashed slots and handles), so the rule must not
// change without carrying them over. It is not strings.EqualFold's
// folding, which differs for a few letters ("ſ" and "s" fold together but
// have different keys; "İ" and "i" have the same key but don't fold
// together).
func AccountKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}
