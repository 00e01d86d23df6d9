# Sourced by bench/compare.sh and bench/wide.sh: sets $py (Debian's python3 when there is one) and
# $blas (the BLAS libraries numpy loads), and warns when numpy runs on the reference BLAS. numpy is
# only as fast as the BLAS it finds: Debian's python3-numpy alone gets the reference BLAS (about
# 5 GFLOP/s, a straw man); OpenBLAS comes with libopenblas0-pthread.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
blas="$("$py" -c 'import numpy; numpy.ones(2) @ numpy.ones(2)
print(" ".join(sorted({l.split()[-1].rsplit("/", 1)[-1] for l in open("/proc/self/maps") if "blas" in l})))' 2>/dev/null || true)"
numpy_blas_warning() {
  case "$blas" in
    *openblas* | *mkl* | *blis*) ;;
    *) echo "(numpy runs on the reference BLAS here, far slower than OpenBLAS: apt-get install libopenblas0-pthread)" ;;
  esac
}
