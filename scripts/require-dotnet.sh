#!/usr/bin/env bash
# Sourced by demo.sh and test.sh before they install anything, and by the scripts that build with dotnet: the .NET 10
# SDK is the one prerequisite no script installs (Microsoft's packages and installer, not Debian's, ship it).
require_dotnet_sdk() {
  local sdks found
  sdks="$(dotnet --list-sdks 2>/dev/null || true)"
  if ! printf '%s\n' "$sdks" | grep -q '^10\.'; then
    found="$(printf '%s\n' "$sdks" | cut -d' ' -f1 | tr '\n' ' ')"
    found="${found%% }"
    {
      echo "The .NET 10 SDK is needed and was not found${found:+ (found: $found)}."
      echo "Install it first, e.g. with Microsoft's script:"
      echo "  curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 && export PATH=\"\$HOME/.dotnet:\$PATH\""
      echo "or from https://dotnet.microsoft.com/download/dotnet/10.0, then run this script again."
    } >&2
    exit 1
  fi
}
