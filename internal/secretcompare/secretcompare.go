// Package secretcompare is a static check that secrets are compared in
// constant time. It reports, in Go code:
//
//   - == and != between two strings or byte arrays, neither a constant,
//     when either is derived from a secret;
//   - bytes.Equal, bytes.Compare, strings.EqualFold, strings.Compare,
//     slices.Equal and reflect.DeepEqual on a value derived from a secret;
//   - a break, return or goto inside a loop of a function that must check
//     every candidate whatever matches (ConstantTimeFuncs).
//
// A value is derived from a secret when it mentions a variable or field of
// a string or byte type named like a secret (code, hash, mac, secret,
// password, pass, key, otp, digest, token, seed, pin, answer: see
// SecretName), calls one of the known secret-carrying functions
// (SecretFuncs: codeMAC, argon2.IDKey…), or mentions a local variable
// assigned from such a value in the same function (taint followed through
// assignments and range statements to a fixed point). The heuristic is
// deliberately wide; a comparison it reports that compares no secret with
// what someone typed is listed in Exempt with the reason.
//
// Use crypto/subtle.ConstantTimeCompare or crypto/hmac.Equal instead.
package secretcompare

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer reports secrets compared in variable time.
var Analyzer = &analysis.Analyzer{
	Name: "secretcompare",
	Doc:  "report secrets compared with ==, !=, bytes.Equal or strings.EqualFold instead of crypto/subtle, and early exits in constant-time loops",
	Run:  run,
}

// SecretName matches the words of an identifier that names a secret.
var SecretName = regexp.MustCompile(`(?i)^(code|codes|hash|hashes|mac|macs|secret|secrets|password|passwords|passwd|pass|passes|pw|pwd|key|keys|otp|totp|hotp|digest|token|tokens|seed|pin|answer|answers|passphrase|ikey)$`)

// SecretFuncs are the functions whose results are secrets, or whose
// results are compared with what someone typed, as "package path.Func".
var SecretFuncs = map[string]bool{
	"golang.org/x/crypto/argon2.IDKey":                                  true,
	"golang.org/x/crypto/argon2.Key":                                    true,
	"crypto/pbkdf2.Key":                                                 true,
	"github.com/securityinfo/securityinfo/wizard/secret.Hash":           true,
	"github.com/securityinfo/securityinfo/wizard.HashSecret":            true,
	"github.com/securityinfo/securityinfo/wizard/authapp.Code":          true,
	"github.com/securityinfo/securityinfo/wizard/authapp.codeAt":        true,
	"github.com/securityinfo/securityinfo/wizard/authapp.NewSecret":     true,
	"github.com/securityinfo/securityinfo/wizard/authapp.EncodeKey":     true,
	"github.com/securityinfo/securityinfo/wizard/phone.NewCode":         true,
	"github.com/securityinfo/securityinfo/wizard/apppassword.Generate":  true,
	"github.com/securityinfo/securityinfo/wizard/apppassword.generate":  true,
	"github.com/securityinfo/securityinfo/wizard/apppassword.Normalise": true,
	"github.com/securityinfo/securityinfo/wizard/tap.generate":          true,
	"github.com/securityinfo/securityinfo/wizard/secret.NormaliseCode":  true,
	"github.com/securityinfo/securityinfo/wizard/authapp.NormaliseCode": true,
	"github.com/securityinfo/securityinfo/wizard/phone.NormaliseCode":   true,
	// The code of every code-by-message method (phone.NewCode and
	// phone.NormaliseCode call these).
	"github.com/securityinfo/securityinfo/wizard/sentcode.NewCode":       true,
	"github.com/securityinfo/securityinfo/wizard/sentcode.codeMAC":       true,
	"github.com/securityinfo/securityinfo/wizard/sentcode.NormaliseCode": true,
	"(hash.Hash).Sum": true,
}

// Exempt are comparisons the heuristic reports that compare no secret
// with what someone typed, as "package path.Func: expression" (the
// expression as gofmt prints it), each with the reason. Keep it short.
var Exempt = map[string]string{
	"github.com/securityinfo/securityinfo/wizard/phone.LookupRegion: r.Code == code":                                        "a region's ISO code, shown on screen",
	"github.com/securityinfo/securityinfo/wizard/tap.check: q.Hash != p.Hash":                                               "the stored hash against the stored hash read before: did the pass change meanwhile",
	"github.com/securityinfo/securityinfo/storage/directory.(*Directory).updateAccount: a.PasswordHash != old.PasswordHash": "refuses a change of the stored hash: nothing typed is compared",
	"github.com/securityinfo/securityinfo/storage.(*Local).UpdateAccount: accountKey(a.Name) != key":                        "the account's index key in the store, not a secret",
	"github.com/securityinfo/securityinfo/ui.(*authAppView).scanScreen: v.scanKey != a.URI()":                               "has the app made a new key since the QR was drawn: two values the app made",
	"github.com/securityinfo/securityinfo/ui.(*authAppView).tick: v.scanKey != a.URI()":                                     "as scanScreen",
}

// NotSecret are variables and fields, as "package path.Name", whose names
// look secret but that hold no secret, each with the reason.
var NotSecret = map[string]string{
	"github.com/securityinfo/securityinfo/wizard/phone.Code": "Region.Code: a region's ISO code, shown on screen",
}

// ExemptPackages are not checked: test support and benchmarks, which
// compare what they stored with what they read back.
var ExemptPackages = map[string]bool{
	"github.com/securityinfo/securityinfo/storage/storetest":           true,
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest": true,
	"github.com/securityinfo/securityinfo/internal/secretcompare":      true,
}

// ConstantTimeFuncs are the functions, as "package path.Func" or
// "package path.(Type).Method", that check a typed secret against several
// candidates and must check all of them whatever matches: no break, return
// or goto inside their loops.
var ConstantTimeFuncs = []string{
	"github.com/securityinfo/securityinfo/wizard/authapp.Verify",
	"github.com/securityinfo/securityinfo/wizard/apppassword.Verify",
}

// hint ends every report of a comparison.
const hint = "; if neither side is a secret, list the comparison in secretcompare.Exempt with the reason"

// compareFuncs are the variable-time comparisons of strings and bytes.
var compareFuncs = map[string]bool{
	"bytes.Equal": true, "bytes.Compare": true, "bytes.EqualFold": true,
	"strings.EqualFold": true, "strings.Compare": true,
	"slices.Equal": true, "slices.Compare": true, "reflect.DeepEqual": true,
}

func run(pass *analysis.Pass) (any, error) {
	if ExemptPackages[pass.Pkg.Path()] || strings.Contains(pass.Pkg.Path(), "/bench/") {
		return nil, nil
	}
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			c := &funcState{pass: pass, fn: FuncName(pass.Pkg.Path(), fd), tainted: map[types.Object]bool{}}
			c.taintParams(fd.Type)
			c.propagate(fd.Body)
			c.compare(fd.Body)
			if isConstantTimeFunc(pass, fd) {
				c.earlyExits(fd)
			}
		}
	}
	return nil, nil
}

// funcState follows taint through one function.
type funcState struct {
	pass    *analysis.Pass
	fn      string // the function's name as Exempt has it
	tainted map[types.Object]bool
}

// taintParams taints the parameters named like secrets.
func (c *funcState) taintParams(ft *ast.FuncType) {
	if ft.Params == nil {
		return
	}
	for _, field := range ft.Params.List {
		for _, n := range field.Names {
			if c.secretIdent(n) {
				c.tainted[c.pass.TypesInfo.Defs[n]] = true
			}
		}
	}
}

// propagate taints, to a fixed point, every variable assigned from a value
// derived from a secret, in body and the function literals inside it.
func (c *funcState) propagate(body *ast.BlockStmt) {
	for changed := true; changed; {
		changed = false
		taint := func(lhs []ast.Expr, from bool) {
			if !from {
				return
			}
			for _, l := range lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok {
					continue
				}
				obj := c.pass.TypesInfo.ObjectOf(id)
				if obj != nil && !c.tainted[obj] && holdsSecret(obj.Type()) {
					c.tainted[obj] = true
					changed = true
				}
			}
		}
		ast.Inspect(body, func(n ast.Node) bool {
			switch s := n.(type) {
			case *ast.AssignStmt:
				from := false
				for _, r := range s.Rhs {
					from = from || c.derived(r)
				}
				taint(s.Lhs, from)
			case *ast.ValueSpec:
				from := false
				for _, v := range s.Values {
					from = from || c.derived(v)
				}
				ids := make([]ast.Expr, len(s.Names))
				for i, n := range s.Names {
					ids[i] = n
				}
				taint(ids, from)
			case *ast.RangeStmt:
				var lhs []ast.Expr
				if s.Key != nil {
					lhs = append(lhs, s.Key)
				}
				if s.Value != nil {
					lhs = append(lhs, s.Value)
				}
				taint(lhs, c.derived(s.X))
			}
			return true
		})
	}
}

// derived reports whether e mentions a secret: an identifier, field or
// function named like one, or a tainted variable.
func (c *funcState) derived(e ast.Expr) bool {
	if e == nil {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if SecretFuncs[calleeName(c.pass, x)] {
				found = true
			}
		case *ast.Ident:
			if c.tainted[c.pass.TypesInfo.ObjectOf(x)] || c.secretIdent(x) {
				found = true
			}
		}
		return true
	})
	return found
}

// holdsSecret reports whether a value of type t can hold a secret: a
// string, bytes, or a slice of strings (a hash split into its parts).
func holdsSecret(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		return isByte(u.Elem()) || holdsSecret(u.Elem())
	case *types.Array:
		return isByte(u.Elem())
	}
	return false
}

// secretIdent reports whether id is a variable or field that can hold a
// secret (holdsSecret) and has a word matching SecretName.
func (c *funcState) secretIdent(id *ast.Ident) bool {
	v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || !holdsSecret(v.Type()) {
		return false
	}
	if v.Pkg() != nil {
		if _, ok := NotSecret[v.Pkg().Path()+"."+v.Name()]; ok {
			return false
		}
	}
	for _, w := range words(id.Name) {
		if SecretName.MatchString(w) {
			return true
		}
	}
	return false
}

// words splits an identifier into its camelCase and snake_case words:
// "codeMAC" is code, MAC; "lastStep" is last, step.
func words(name string) []string {
	var out []string
	start := 0
	rs := []rune(name)
	upper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	for i := 1; i <= len(rs); i++ {
		switch {
		case i == len(rs):
		case rs[i] == '_':
		case upper(rs[i]) && !upper(rs[i-1]):
		case upper(rs[i]) && i+1 < len(rs) && !upper(rs[i+1]) && rs[i+1] != '_':
		default:
			continue
		}
		if w := strings.Trim(string(rs[start:i]), "_"); w != "" {
			out = append(out, w)
		}
		start = i
	}
	return out
}

// compare reports the variable-time comparisons in body.
func (c *funcState) compare(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op != token.EQL && x.Op != token.NEQ {
				return true
			}
			if c.constant(x.X) || c.constant(x.Y) || !c.comparable(x.X) || !c.comparable(x.Y) {
				return true
			}
			if (c.derived(x.X) || c.derived(x.Y)) && !c.exempt(x) {
				c.pass.Reportf(x.OpPos, "secret compared with %s (%s: %s): use crypto/subtle.ConstantTimeCompare or crypto/hmac.Equal%s", x.Op, c.fn, c.text(x), hint)
			}
		case *ast.CallExpr:
			name := calleeName(c.pass, x)
			if !compareFuncs[name] {
				return true
			}
			for _, a := range x.Args {
				if c.constant(a) {
					return true
				}
			}
			for _, a := range x.Args {
				if c.derived(a) {
					c.pass.Reportf(x.Pos(), "secret compared with %s (%s): use crypto/subtle.ConstantTimeCompare or crypto/hmac.Equal%s", name, c.fn, hint)
					break
				}
			}
		}
		return true
	})
}

// exempt reports whether Exempt lists e in this function.
func (c *funcState) exempt(e ast.Expr) bool {
	_, ok := Exempt[c.fn+": "+c.text(e)]
	return ok
}

// text is e as gofmt prints it.
func (c *funcState) text(e ast.Expr) string {
	var b strings.Builder
	if err := format.Node(&b, c.pass.Fset, e); err != nil {
		return ""
	}
	return b.String()
}

// constant reports whether e is a compile-time constant or nil.
func (c *funcState) constant(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && (tv.Value != nil || tv.IsNil())
}

// comparable reports whether e is a string, a byte slice or a byte array:
// what a secret is held in.
func (c *funcState) comparable(e ast.Expr) bool {
	t := c.pass.TypesInfo.TypeOf(e)
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		return isByte(u.Elem())
	case *types.Array:
		return isByte(u.Elem())
	}
	return false
}

func isByte(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Byte || b.Kind() == types.Uint8)
}

// calleeName is "pkg.Func" for a call of a package-level function, and
// "(pkg.Type).Method" for a method call (interface methods included).
func calleeName(pass *analysis.Pass, call *ast.CallExpr) string {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return ""
	}
	fn, ok := pass.TypesInfo.ObjectOf(id).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return "(" + types.TypeString(recvNamed(sig.Recv().Type()), nil) + ")." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// recvNamed strips a pointer from a receiver type.
func recvNamed(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// FuncName is fd's name as ConstantTimeFuncs has it.
func FuncName(pkgPath string, fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return pkgPath + "." + fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	recv := fmt.Sprint(t)
	if id, ok := t.(*ast.Ident); ok {
		recv = id.Name
	}
	if _, ptr := fd.Recv.List[0].Type.(*ast.StarExpr); ptr {
		recv = "*" + recv
	}
	return pkgPath + ".(" + recv + ")." + fd.Name.Name
}

func isConstantTimeFunc(pass *analysis.Pass, fd *ast.FuncDecl) bool {
	name := FuncName(pass.Pkg.Path(), fd)
	for _, f := range ConstantTimeFuncs {
		if f == name {
			return true
		}
	}
	return false
}

// earlyExits reports a break, return or goto inside a loop of fd (outside
// function literals), and a short-circuit && or || whose right side calls
// a function on a secret: each would stop checking at a match.
func (c *funcState) earlyExits(fd *ast.FuncDecl) {
	pass := c.pass
	var inLoop func(n ast.Node)
	inLoop = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				if x.Tok == token.BREAK || x.Tok == token.GOTO {
					pass.Reportf(x.Pos(), "%s inside a loop of %s, which must check every candidate whatever matches", x.Tok, fd.Name.Name)
				}
			case *ast.ReturnStmt:
				pass.Reportf(x.Pos(), "return inside a loop of %s, which must check every candidate whatever matches", fd.Name.Name)
			case *ast.BinaryExpr:
				if (x.Op == token.LAND || x.Op == token.LOR) && hasCall(x.Y) && c.derived(x.Y) {
					pass.Reportf(x.OpPos, "short-circuit %s before a call inside a loop of %s, which must check every candidate whatever matches", x.Op, fd.Name.Name)
				}
			}
			return true
		})
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			inLoop(x.Body)
			return false
		case *ast.RangeStmt:
			inLoop(x.Body)
			return false
		}
		return true
	})
}

// hasCall reports whether e calls a function (conversions aside).
func hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}
