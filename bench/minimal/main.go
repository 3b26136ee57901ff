// Command minimal is the baseline for the start-up benchmark, built from
// the same module with the same flags as the app, at the size Security
// Info opens its window (800×760):
//
//	minimal         one label in a window titled "Minimal"
//	minimal -form   a plain form, two entries and a button, titled "Plain form"
package main

import (
	"flag"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	form := flag.Bool("form", false, "show a plain form instead of one label")
	flag.Parse()
	a := app.NewWithID("app.securityinfo.bench.minimal")
	var w fyne.Window
	if *form {
		w = a.NewWindow("Plain form")
		account, password := widget.NewEntry(), widget.NewPasswordEntry()
		account.SetPlaceHolder("Account")
		password.SetPlaceHolder("Password")
		w.SetContent(container.NewVBox(account, password, widget.NewButton("Sign in", func() {})))
	} else {
		w = a.NewWindow("Minimal")
		w.SetContent(widget.NewLabel("Minimal Fyne window"))
	}
	w.Resize(fyne.NewSize(800, 760))
	w.ShowAndRun()
}
