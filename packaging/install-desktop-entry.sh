#!/usr/bin/env bash
# Put CALMS Workshop in the desktop's application menu, for this user only:
# the desktop entry (pointing at this bundle's executable) goes to
# ~/.local/share/applications, the icon to ~/.local/share/icons/hicolor.
# Run it from the unpacked bundle folder; run it again after moving the folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exe="$here/calms-desktop"
[ -x "$exe" ] || { echo "error: $exe not found; run this from the bundle folder" >&2; exit 1; }
data="${XDG_DATA_HOME:-$HOME/.local/share}"
icons="$here/_internal/calms_desktop/resources/icons"
for png in "$icons"/calms-desktop-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 644 "$png" "$data/icons/hicolor/${size}x${size}/apps/calms-desktop.png"
done
install -D -m 644 "$icons/calms-desktop.svg" "$data/icons/hicolor/scalable/apps/calms-desktop.svg"
mkdir -p "$data/applications"
# Exec with the absolute path, quoted as the Desktop Entry spec asks.
sed "s|^Exec=.*|Exec=\"$exe\"|" "$here/calms-desktop.desktop" > "$data/applications/calms-desktop.desktop"
echo "Installed: $data/applications/calms-desktop.desktop (Exec=$exe)"
