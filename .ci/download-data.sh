#!/usr/bin/env bash
# Download MNIST and the course's photo into DIR and check their SHA-256 hashes (the ones
# imagerec.data.REGISTRY checks; tests/test_workflow.py compares them). Used by the workflow:
#   .ci/download-data.sh "$RUNNER_TEMP/data" && export IMAGEREC_DATA_DIR="$RUNNER_TEMP/data"
# MNIST is Keras's mnist.npz (a different file from an offline copy written by NumPy, with
# the same arrays: the package checks MNIST by content). The photo comes from the course
# repository kupav/data-sc-intro at the commit that added it (cf521d9, 2021-04-13), not from
# its main branch, so that the file cannot change under the book.
set -euo pipefail
dir="${1:?usage: $0 DIR}"
mkdir -p "$dir"
cd "$dir"
MNIST_URL=https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz
MNIST_SHA256=731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1
PHOTO_URL=https://raw.githubusercontent.com/kupav/data-sc-intro/cf521d9da6382f4a44082c9fddf5bbad4aa416aa/data/cats.jpg
PHOTO_SHA256=674ae84a7a736475bfd28062b8e90b1482329fa5483d14d29b16af60cdaf6526
curl -fsSL --retry 3 -o mnist.npz "$MNIST_URL"
curl -fsSL --retry 3 -o cats.jpg "$PHOTO_URL"
printf '%s  %s\n' "$MNIST_SHA256" mnist.npz "$PHOTO_SHA256" cats.jpg > SHA256SUMS
sha256sum --check --strict SHA256SUMS
