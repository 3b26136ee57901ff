// Package randsource is a static check that every source of randomness
// the app's secrets are drawn from is crypto/rand. Secrets (keys, codes,
// app passwords, passes, salts, IDs) are made from an io.Reader handed
// down from the wiring: a field named Rand (wizard.Config.Rand,
// method.Context.Rand) or a parameter named rand or r of type io.Reader.
// Every value handed to one of those must be crypto/rand.Reader itself,
// or pass on a variable, field or parameter (which is checked where it is
// set). A call, a composite literal or a package-level variable made
// otherwise (math/rand, a seeded or constant reader) is reported. Tests
// are not checked: they hand seeded readers on purpose.
package randsource

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer reports randomness for secrets that is not crypto/rand.
var Analyzer = &analysis.Analyzer{
	Name: "randsource",
	Doc:  "report sources of randomness for secrets other than crypto/rand.Reader",
	Run:  run,
}

// Module is the module whose functions' parameters are checked.
const Module = "github.com/securityinfo/securityinfo"

// NotRandom are parameters named r of type io.Reader that take no
// randomness, as "package path.Func", with the reason.
var NotRandom = map[string]string{
	"github.com/securityinfo/securityinfo/cli.newLines":          "reads the command's standard input",
	"github.com/securityinfo/securityinfo/wizard/questions.Draw": "picks which registered questions to ask, from a keyed stream (DrawKey) so that asking again asks the same: no secret is made",
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CompositeLit:
				for _, e := range x.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if id, ok := kv.Key.(*ast.Ident); ok && isRandField(pass, id) {
						checkSource(pass, kv.Value, "field "+id.Name)
					}
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if i >= len(x.Rhs) || len(x.Lhs) != len(x.Rhs) {
						break
					}
					var id *ast.Ident
					switch l := ast.Unparen(l).(type) {
					case *ast.Ident:
						id = l
					case *ast.SelectorExpr:
						id = l.Sel
					}
					if id != nil && isRandField(pass, id) {
						checkSource(pass, x.Rhs[i], id.Name)
					}
				}
			case *ast.CallExpr:
				checkCall(pass, x)
			case *ast.GenDecl:
				for _, s := range x.Specs {
					vs, ok := s.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, n := range vs.Names {
						v, ok := pass.TypesInfo.Defs[n].(*types.Var)
						if !ok || !isReader(v.Type()) || v.Parent() != pass.Pkg.Scope() || i >= len(vs.Values) {
							continue
						}
						if !isCryptoRand(pass, vs.Values[i]) {
							pass.Reportf(vs.Values[i].Pos(), "package-level io.Reader %s is not crypto/rand.Reader", n.Name)
						}
					}
				}
			}
			return true
		})
	}
	return nil, nil
}

// isRandField reports whether id is a struct field named Rand (any case)
// of type io.Reader.
func isRandField(pass *analysis.Pass, id *ast.Ident) bool {
	v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
	return ok && v.IsField() && strings.EqualFold(v.Name(), "rand") && isReader(v.Type())
}

// checkCall checks the arguments handed to parameters named rand or r of
// type io.Reader.
func checkCall(pass *analysis.Pass, call *ast.CallExpr) {
	sig, ok := pass.TypesInfo.TypeOf(call.Fun).(*types.Signature)
	if !ok {
		return
	}
	name := calleeName(pass, call)
	if !strings.HasPrefix(name, Module+"/") && !strings.HasPrefix(name, pass.Pkg.Path()+".") {
		return // the standard library's and others' r io.Reader are input
	}
	if _, ok := NotRandom[name]; ok {
		return
	}
	ps := sig.Params()
	for i, a := range call.Args {
		if i >= ps.Len() || (sig.Variadic() && i >= ps.Len()-1) {
			break
		}
		p := ps.At(i)
		if (p.Name() == "rand" || p.Name() == "r") && isReader(p.Type()) {
			checkSource(pass, a, "parameter "+p.Name())
		}
	}
}

// checkSource reports e unless it is crypto/rand.Reader, nil, or a
// variable, field or parameter passed on (not a package-level variable
// of this module, which its declaration must make crypto/rand).
func checkSource(pass *analysis.Pass, e ast.Expr, sink string) {
	if isCryptoRand(pass, e) {
		return
	}
	if tv, ok := pass.TypesInfo.Types[e]; ok && tv.IsNil() {
		return
	}
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	}
	if id != nil {
		if v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var); ok {
			pkgLevel := v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
			if !pkgLevel || v.Pkg() == pass.Pkg {
				return // passed on; a package-level one is checked where declared
			}
		}
	}
	pass.Reportf(e.Pos(), "randomness for %s is not crypto/rand.Reader: secrets must be drawn from crypto/rand", sink)
}

// isCryptoRand reports whether e is crypto/rand.Reader.
func isCryptoRand(pass *analysis.Pass, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := pass.TypesInfo.ObjectOf(sel.Sel).(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "crypto/rand" && v.Name() == "Reader"
}

// isReader reports whether t is io.Reader.
func isReader(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "io" && n.Obj().Name() == "Reader"
}

// calleeName is "pkg.Func" for a call of a package-level function.
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
	return fn.Pkg().Path() + "." + fn.Name()
}
