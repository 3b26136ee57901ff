// Command minimal is the baseline for the start-up benchmark: the
// smallest Fyne app, one label in a window titled "Minimal", at the size
// Security Info opens its window (800×760), built from the same module
// with the same flags as the app.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("app.securityinfo.bench.minimal")
	w := a.NewWindow("Minimal")
	w.SetContent(widget.NewLabel("Minimal Fyne window"))
	w.Resize(fyne.NewSize(800, 760))
	w.ShowAndRun()
}
