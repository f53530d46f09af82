#!/bin/sh
# Re-derives the subsetted fonts of this folder from Debian's fonts-noto-core (SIL OFL 1.1)
# with fontTools (Debian python3-fonttools). Every OpenType layout feature is kept, so
# Arabic-script shaping (joining forms, ligatures, marks, Nastaliq's cascading) is whole;
# only the characters outside the scripts Truce writes are dropped.
set -eu
src=${1:-/usr/share/fonts/truetype/noto}
cd "$(dirname "$0")"
subset() {
    python3 -m fontTools.subset "$src/$1.ttf" --unicodes="$2" --layout-features='*' \
        --no-hinting --output-file="$1.subset.ttf"
}
common="U+0020-007E,U+00A0,U+200C-200F,U+2010-2027,U+2066-2069,U+2212"
arabic="$common,U+00AB,U+00BB,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+25CC,U+FB50-FDFF,U+FE70-FEFF"
urdu="$common,U+0600-06FF,U+FB50-FDFF,U+FE70-FEFF"
latin="U+0020-024F,U+02BC,U+0300-036F,U+2000-206F,U+20AC,U+2212,U+2190-2193"
subset NotoSans-Regular "$latin"
subset NotoSans-Bold "$latin"
subset NotoNaskhArabic-Regular "$arabic"
subset NotoNaskhArabic-Bold "$arabic"
subset NotoNastaliqUrdu-Regular "$urdu"
