// Command cmd writes wizard/phone's region_names.go (go generate in
// wizard/phone runs it): the region picker's names in the languages given,
// which must be wizard.Languages (TestRegionNamesUpToDate checks). It
// doesn't import wizard: that would need the file it writes to compile.
// See package regiongen.
package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/phone/internal/regiongen"
)

func main() {
	langs := flag.String("langs", "en", "comma-separated languages, English first (wizard.Languages)")
	out := flag.String("o", "region_names.go", "file to write")
	flag.Parse()
	src, err := regiongen.Generate(strings.Split(*langs, ","))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
