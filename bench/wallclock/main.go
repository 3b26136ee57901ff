// Command wallclock summarises the main-goroutine samples that
// bench/profile/wallclock.go.in writes: where the UI thread's wall-clock
// time went during start-up, as a tree of stack prefixes with the average
// milliseconds per run, and the time line of its top-level steps.
//
//	wallclock [-until MS] [-min MS] [-depth N] [-root FUNC] FILE...
//	wallclock -phases [-until MS] FILE...
//
// With -phases it prints instead, for each step of a Fyne start-up, the
// average milliseconds per run that the UI thread spent in it
// ("PHASE<TAB>MS" lines): each sample counts for the first phase whose
// marker is on its stack.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type node struct {
	name     string
	ms       float64
	children map[string]*node
}

func (n *node) child(name string) *node {
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c := n.children[name]
	if c == nil {
		c = &node{name: name}
		n.children[name] = c
	}
	return c
}

// short drops the import path: "fyne.io/fyne/v2/widget.(*Entry).SetText"
// becomes "widget.(*Entry).SetText".
func short(f string) string {
	if i := strings.LastIndex(f, "/"); i >= 0 {
		return f[i+1:]
	}
	return f
}

func main() {
	until := flag.Float64("until", 0, "only samples before this many ms (0: all)")
	minMS := flag.Float64("min", 3, "hide nodes under this many ms per run")
	depth := flag.Int("depth", 7, "levels below the root")
	root := flag.String("root", "main.main", "start the tree at this function")
	timeline := flag.Int("timeline", 2, "levels below the root in the time line (0: none)")
	phasesMode := flag.Bool("phases", false, "print the time per start-up phase")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: wallclock [flags] FILE...")
		os.Exit(2)
	}
	if *phasesMode {
		phases(files, *until)
		return
	}
	top := &node{name: *root}
	type step struct {
		from, to float64
		name     string
	}
	var steps []step // of the first file
	for fi, path := range files {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var ts []float64
		var stacks [][]string
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			t, st, ok := strings.Cut(sc.Text(), "\t")
			ms, err := strconv.ParseFloat(t, 64)
			if !ok || err != nil {
				continue
			}
			ts = append(ts, ms)
			stacks = append(stacks, strings.Split(st, ";"))
		}
		f.Close()
		for i, st := range stacks {
			if *until > 0 && ts[i] >= *until {
				break
			}
			d := 2.0
			if i+1 < len(ts) {
				d = ts[i+1] - ts[i]
			}
			if *until > 0 && ts[i]+d > *until {
				d = *until - ts[i]
			}
			k := 0
			for k < len(st) && st[k] != *root {
				k++
			}
			var path []string
			if k == len(st) {
				path = []string{"(outside " + short(*root) + ")"}
			} else {
				path = st[k+1:]
			}
			// Recursion (walking the object tree) is folded: a function
			// already on the path is not a new level.
			n := top
			n.ms += d
			seen := map[string]bool{}
			lvl := 0
			for _, fr := range path {
				if seen[fr] || strings.HasSuffix(fr, ".func1") && seen[strings.TrimSuffix(fr, ".func1")] {
					continue
				}
				seen[fr] = true
				if lvl >= *depth {
					break
				}
				lvl++
				n = n.child(short(fr))
				n.ms += d
			}
			if fi == 0 && *timeline > 0 {
				name := strings.Join(shortAll(path[:min(*timeline, len(path))]), " > ")
				if len(steps) > 0 && steps[len(steps)-1].name == name {
					steps[len(steps)-1].to = ts[i] + d
				} else {
					steps = append(steps, step{ts[i], ts[i] + d, name})
				}
			}
		}
	}
	runs := float64(len(files))
	fmt.Printf("UI thread (main goroutine) wall-clock time, average of %d run(s)", len(files))
	if *until > 0 {
		fmt.Printf(", first %.0f ms", *until)
	}
	fmt.Printf(" (nodes under %.0f ms hidden):\n", *minMS)
	var print func(n *node, indent string)
	print = func(n *node, indent string) {
		fmt.Printf("%s%6.1f ms  %s\n", indent, n.ms/runs, n.name)
		var cs []*node
		for _, c := range n.children {
			if c.ms/runs >= *minMS {
				cs = append(cs, c)
			}
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].ms > cs[j].ms })
		for _, c := range cs {
			print(c, indent+"  ")
		}
	}
	print(top, "")
	if *timeline > 0 && len(steps) > 0 {
		fmt.Printf("\nTime line of the first run (steps of %.0f ms or more):\n", *minMS)
		for _, s := range steps {
			if s.to-s.from >= *minMS {
				fmt.Printf("  %6.1f – %6.1f ms  %s\n", s.from, s.to, s.name)
			}
		}
	}
}

func shortAll(fs []string) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = short(f)
	}
	return out
}

// phaseMarkers name the steps of a Fyne start-up by a function on the
// stack; the first that matches counts.
var phaseMarkers = []struct{ name, marker string }{
	{"window icon: decode the PNG, convert, set", "SetIcon"},
	{"X window and GL context (glfwCreateWindow)", "glfw.CreateWindow"},
	{"GL painter set-up (shaders compiled, linked)", "(*painter).Init"},
	{"first paint (draw calls; Mesa compiles on first draw when cold)", "repaintWindow"},
	{"later frames and events", "runGL"},
	{"GLFW initialisation", "initGLFW"},
	{"other window set-up (Show)", "(*window).Show"},
	{"build the pages and lay out the content (ui.New / SetContent)", "ui.New"},
	{"build the pages and lay out the content (ui.New / SetContent)", "(*window).SetContent"},
	{"open the data dir", "main.openDir"},
	{"demo account (argon2id on an empty data dir)", "EnsureDemoAccount"},
	{"read and check the policy", "ParsePolicy"},
	{"other app set-up before the window", "main.runApp"},
}

func phases(files []string, until float64) {
	sums := map[string]float64{}
	var order []string
	for _, p := range phaseMarkers {
		if _, ok := sums[p.name]; !ok {
			order = append(order, p.name)
			sums[p.name] = 0
		}
	}
	order = append(order, "other")
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var ts []float64
		var sts []string
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			t, st, ok := strings.Cut(sc.Text(), "\t")
			ms, err := strconv.ParseFloat(t, 64)
			if ok && err == nil {
				ts = append(ts, ms)
				sts = append(sts, st)
			}
		}
		f.Close()
		for i, st := range sts {
			if until > 0 && ts[i] >= until {
				break
			}
			d := 2.0
			if i+1 < len(ts) {
				d = ts[i+1] - ts[i]
			}
			if until > 0 && ts[i]+d > until {
				d = until - ts[i]
			}
			name := "other"
			for _, p := range phaseMarkers {
				if strings.Contains(st, p.marker) {
					name = p.name
					break
				}
			}
			sums[name] += d
		}
	}
	for _, n := range order {
		fmt.Printf("%s\t%.1f\n", n, sums[n]/float64(len(files)))
	}
}
