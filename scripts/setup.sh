# scripts/setup.sh: sourced by the other scripts. Installs the Debian packages
# the build and the tests need when they are missing (as root, on Debian
# bookworm), then configures build/ with meson.

set -eu
cd "$(dirname "$0")/.."

MAIKO_PACKAGES="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libjson-glib-dev \
gobject-introspection libgirepository1.0-dev python3 python3-gi python3-pytest \
gjs valac gi-docgen valgrind dbus mosquitto libmosquitto-dev gir1.2-gtk-4.0 xvfb xauth openssl"

install_missing_packages () {
  missing=""
  for pkg in $MAIKO_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  if [ -n "$missing" ]; then
    echo "Installing:$missing"
    if [ "$(id -u)" != 0 ]; then
      echo "error: these Debian packages are missing and installing them needs root:$missing" >&2
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
}

# configure_build DIR [MESON OPTIONS...]
configure_build () {
  dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

install_missing_packages
