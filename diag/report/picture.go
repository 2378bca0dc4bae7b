package report

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // DecodeConfig of Input.MapPNG

	"github.com/xuri/excelize/v2"
)

// Size of the map picture in Synthèse.
const (
	mapWidthPx  = 900 // the picture is scaled to this width, in pixels
	rowHeightPx = 20  // default row height (15 pt), to leave room under the picture
)

// mapPicture embeds Input.MapPNG in Synthèse at the next row, scaled to
// mapWidthPx pixels wide, and leaves the rows it covers empty. Without a
// picture it writes how to get one. A picture that is not a PNG is an
// error.
func (b *book) mapPicture(s *sheet) error {
	st := &b.st
	if err := s.pageBreak(); err != nil {
		return err
	}
	if err := s.add(cell(st.subtitle, "Carte du score d'écart par commune")); err != nil {
		return err
	}
	if len(b.in.MapPNG) == 0 {
		return s.add(cell(st.note, "Carte non jointe : « diagnum --map carte » l'écrit en PNG et en SVG."))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b.in.MapPNG))
	if err != nil || format != "png" || cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("image de la carte : ce n'est pas une image PNG (%v)", err)
	}
	scale := float64(mapWidthPx) / float64(cfg.Width)
	ref, err := excelize.CoordinatesToCellName(1, s.row+1)
	if err != nil {
		return err
	}
	err = b.f.AddPictureFromBytes(s.name, ref, &excelize.Picture{
		Extension: ".png",
		File:      b.in.MapPNG,
		Format: &excelize.GraphicOptions{
			AltText:     "Carte du score d'écart par commune — " + b.in.label(),
			ScaleX:      scale,
			ScaleY:      scale,
			Positioning: "oneCell",
		},
	})
	if err != nil {
		return err
	}
	h := int(float64(cfg.Height)*scale + 0.5)
	s.skip((h + rowHeightPx - 1) / rowHeightPx)
	return nil
}
