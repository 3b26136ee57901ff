package phonenumbers

// Security Info's fork: the package-level regular expressions are compiled
// on first use instead of in package init (20 patterns, about a
// millisecond and 1,700 allocations at every start of every program
// linking the package, issue #17), in the manner of Go's own
// internal/lazyregexp.

import (
	"regexp"
	"sync"
)

// LazyRegexp is a regular expression compiled on its first use. Its
// methods are those of regexp.Regexp that this package uses; Regexp gives
// the compiled expression for any other.
type LazyRegexp struct {
	str  string
	once sync.Once
	rx   *regexp.Regexp
}

// lazyRegexp returns the regular expression str, compiled when first used;
// it panics then if str doesn't compile (as regexp.MustCompile would have
// in init).
func lazyRegexp(str string) *LazyRegexp { return &LazyRegexp{str: str} }

// Regexp returns the compiled regular expression.
func (r *LazyRegexp) Regexp() *regexp.Regexp {
	r.once.Do(func() { r.rx = regexp.MustCompile(r.str) })
	return r.rx
}

// String returns the source text of the regular expression.
func (r *LazyRegexp) String() string { return r.str }

// MatchString is regexp.Regexp.MatchString.
func (r *LazyRegexp) MatchString(s string) bool { return r.Regexp().MatchString(s) }

// FindIndex is regexp.Regexp.FindIndex.
func (r *LazyRegexp) FindIndex(b []byte) []int { return r.Regexp().FindIndex(b) }

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (r *LazyRegexp) FindStringIndex(s string) []int { return r.Regexp().FindStringIndex(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *LazyRegexp) FindStringSubmatch(s string) []string {
	return r.Regexp().FindStringSubmatch(s)
}

// FindAllString is regexp.Regexp.FindAllString.
func (r *LazyRegexp) FindAllString(s string, n int) []string {
	return r.Regexp().FindAllString(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *LazyRegexp) ReplaceAllString(src, repl string) string {
	return r.Regexp().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (r *LazyRegexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Regexp().ReplaceAllStringFunc(src, repl)
}

// Split is regexp.Regexp.Split.
func (r *LazyRegexp) Split(s string, n int) []string { return r.Regexp().Split(s, n) }
