package main

import (
	"io"

	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/types"
)

type ioReadCloser = io.ReadCloser

func unparsed(src types.ImageSource) types.UnparsedImage { return image.UnparsedInstance(src, nil) }
