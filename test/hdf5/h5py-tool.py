"""Reference side of the HDF5 reader tests, on the real HDF5 library through h5py.

  dump FILE...   every group's members and every object's attributes, as JSON on stdout
  make DIR       writes the test files (one per storage variant) into DIR and lists them as JSON
  make-large FILE SIZE   an S5P-like file with a sparse SIZE-byte variable between its metadata
"""

import ctypes
import json
import math
import os
import sys

import h5py
import numpy as np

DECODED = {"integer", "float", "string", "vlen-string"}


def type_name(tid):
    cls = tid.get_class()
    if cls == h5py.h5t.INTEGER:
        return "integer"
    if cls == h5py.h5t.FLOAT:
        return "float"
    if cls == h5py.h5t.STRING:
        return "vlen-string" if tid.is_variable_str() else "string"
    return "other"


def plain(v):
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8", errors="replace")
    if isinstance(v, (np.integer, int)):
        i = int(v)
        return i if abs(i) < 2**53 else {"bigint": str(i)}
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else str(f).replace("nan", "NaN").replace("inf", "Infinity")
    return v


def attribute(obj, name):
    aid = h5py.h5a.open(obj.id, name.encode())
    kind = type_name(aid.get_type())
    space = aid.get_space()
    null = space.get_simple_extent_type() == h5py.h5s.NULL
    shape = None if null else list(space.shape)
    if kind not in DECODED:
        return {"type": kind, "shape": shape}
    v = obj.attrs[name]
    if null or isinstance(v, h5py.Empty):
        value = None
    elif isinstance(v, np.ndarray) and space.get_simple_extent_type() == h5py.h5s.SIMPLE:
        value = [plain(x) for x in v.flatten().tolist()] if v.dtype.kind not in "SO" else [plain(x) for x in v.flatten()]
    else:
        value = plain(v[()] if isinstance(v, np.ndarray) else v)
    return {"type": kind, "shape": shape, "value": value}


def member_kind(group, name):
    link = group.get(name, getlink=True)
    if isinstance(link, h5py.SoftLink):
        return "soft-link"
    if isinstance(link, h5py.ExternalLink):
        return "external-link"
    obj = group[name]
    if isinstance(obj, h5py.Group):
        return "group"
    return "datatype" if isinstance(obj, h5py.Datatype) else "dataset"


def dump(path):
    out = {}

    def visit(obj, name):
        entry = {"attributes": {n: attribute(obj, n) for n in obj.attrs.keys()}}
        out[name] = entry
        if isinstance(obj, h5py.Group):
            entry["members"] = {m: member_kind(obj, m) for m in obj.keys()}
            for m, kind in entry["members"].items():
                if kind in ("group", "dataset", "datatype"):
                    child = f"{name.rstrip('/')}/{m}"
                    if child not in out:
                        visit(obj[m], child)

    with h5py.File(path, "r") as f:
        visit(f, "/")
    return out


def hdf5_library():
    """The libhdf5 that h5py loaded, for the few settings h5py does not expose."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libhdf5" in line and "_hl" not in line:
                return ctypes.CDLL(line.split()[-1])
    raise RuntimeError("libhdf5 is not loaded")


def every_type(target):
    """Attributes of every type we decode, both byte orders, plus types we only name."""
    a = target.attrs
    a["int8"] = np.int8(-5)
    a["uint8"] = np.uint8(250)
    a["int16_be"] = np.array(-12345, dtype=">i2")
    a["uint16"] = np.uint16(65000)
    a["int32"] = np.int32(-2_000_000_000)
    a["uint32_be"] = np.array(4_000_000_000, dtype=">u4")
    a["int64"] = np.int64(-(2**62) - 3)
    a["uint64_be"] = np.array(2**64 - 2, dtype=">u8")
    a["small_int64"] = np.int64(1583193600)
    a["float32"] = np.float32(89.93533)
    a["float32_be"] = np.array([1.5, -2.25e-7, np.inf], dtype=">f4")
    a["float64_be"] = np.array(2458911.5, dtype=">f8")
    a["float64_nan"] = np.float64("nan")
    a["int_2d"] = np.arange(6, dtype="<i4").reshape(2, 3)
    a["fixed"] = np.bytes_(b"2020-03-03T01:57:22Z")
    a["fixed_list"] = np.array([b"L2__CH4___", b"Offline"], dtype="S12")
    a["vlen"] = "Bayerisches Staatsministerium f\u00fcr Wirtschaft"
    a["vlen_list"] = ["one", "", "three \u2713"]
    a["empty_float"] = h5py.Empty("f4")
    a["compound"] = np.array((1, 2.5), dtype=[("a", "<i4"), ("b", "<f8")])


LINKS = 8000


def link_name(i):
    """Long names, so that the link heap outgrows its direct rows and needs nested indirect blocks."""
    return f"link_{i:05d}_" + "n" * 100


def interleave_attributes(obj, neighbour, count=40):
    """Attributes added to two objects in turn: neither header can grow in place, so both continue."""
    for i in range(count):
        obj.attrs[f"attr{i:02d}"] = "x" * (200 + i)
        neighbour.attrs[f"attr{i:02d}"] = i


def make(dirname):
    files = {}

    def path(name):
        files[name] = os.path.join(dirname, name)
        return files[name]

    # Superblock 0, version-1 object headers, symbol-table groups deep enough for a multi-level B-tree.
    with h5py.File(path("v0-earliest.h5"), "w", libver="earliest") as f:
        every_type(f)
        f["target"] = np.arange(3)
        many = f.create_group("many")
        for i in range(600):
            many[f"link{i:04d}"] = f["target"]
        g = f.create_group("a/b/c")
        g.attrs["deep"] = "yes"
        f["soft_to_c"] = h5py.SoftLink("/a/b/c")
        f["a/relative"] = h5py.SoftLink("b/c")
        f["loop1"] = h5py.SoftLink("/loop2")
        f["loop2"] = h5py.SoftLink("/loop1")
        f["committed"] = np.dtype("<i2")
        f["a"].attrs.create("named_type", np.array([7, 8], dtype="<i2"), dtype=f["committed"])
        interleave_attributes(f.create_dataset("continued", data=np.zeros(4)), f.create_group("neighbour"))

    # Superblock 1: a non-default indexed-storage B-tree K, which h5py cannot set, so through libhdf5.
    lib = hdf5_library()
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    if lib.H5Pset_istore_k(ctypes.c_int64(fcpl.id), ctypes.c_uint(64)) < 0:
        raise RuntimeError("H5Pset_istore_k failed")
    fid = h5py.h5f.create(path("v1-superblock.h5").encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl)
    with h5py.File(fid) as f:
        every_type(f.create_group("group"))
        f["group"].attrs["where"] = "superblock 1"

    # Superblock 2 (1.8 format): new-style groups, compact and dense links and attributes.
    with h5py.File(path("v2-superblock.h5"), "w", libver=("v108", "v108")) as f:
        every_type(f)
        small = f.create_group("compact")
        for i in range(4):
            small.create_group(f"g{i}").attrs["i"] = i
        dense = f.create_group("dense")
        for i in range(40):
            dense.create_group(f"member_{i:03d}").attrs["i"] = i
        for i in range(30):
            dense.attrs[f"attribute_{i:03d}"] = f"value {i}"

    # Superblock 3 (latest format): a dense group big enough for indirect heap blocks and a deep name
    # index, dense attributes with a "huge" one, and a header with times, creation order and
    # continuation chunks.
    with h5py.File(path("v3-latest.h5"), "w", libver="latest", track_order=True) as f:
        every_type(f)
        big = f.create_group("big")
        f["target"] = np.arange(3)
        for i in range(LINKS):
            big[link_name(i)] = f["target"]
        big.attrs["note"] = f"{LINKS} links"
        attrs = f.create_group("dense_attributes")
        for i in range(20):
            attrs.attrs[f"n{i:02d}"] = np.float64(i) / 7
        attrs.attrs["huge_text"] = "0123456789" * 1000
        attrs.attrs["huge_array"] = np.arange(2000, dtype="<i8")
        timed = f.create_dataset("timed", data=np.arange(5), track_times=True)
        interleave_attributes(timed, f.create_group("neighbour"), count=7)

    # A user block in front of the superblock: every address counts from the superblock.
    with h5py.File(path("userblock.h5"), "w", userblock_size=1024, libver="latest") as f:
        f.create_group("inside").attrs["ok"] = np.int32(1)

    # Object header addresses, for the tests that corrupt structures on purpose.
    with h5py.File(files["v0-earliest.h5"], "r") as f:
        addresses = {name: h5py.h5o.get_info(f[name].id).addr for name in ("continued", "many")}
    return {"files": files, "addresses": addresses}


def make_large(filename, size):
    """An S5P-like netCDF-4 layout with a sparse `size`-byte variable between the root and METADATA."""
    with h5py.File(filename, "w", libver="earliest", track_order=True) as f:
        f.attrs["id"] = np.bytes_(os.path.basename(filename)[:-3].encode())
        f.attrs["time_coverage_start"] = np.bytes_(b"2020-03-03T01:57:22Z")
        f.attrs["time_coverage_end"] = np.bytes_(b"2020-03-03T02:55:45Z")
        f.attrs["orbit"] = np.array([12367], dtype="<i4")
        f.attrs["processor_version"] = np.bytes_(b"1.3.2")
        product = f.create_group("PRODUCT", track_order=True)
        data = product.create_dataset("radiance", shape=(size,), dtype="u1")
        data[-1] = 1  # allocates the whole contiguous variable but writes one byte: the file stays sparse
        granule = f.create_group("METADATA/GRANULE_DESCRIPTION", track_order=True)
        granule.attrs["ProductShortName"] = np.bytes_(b"L2__NO2___")
        granule.attrs["ProcessingMode"] = np.bytes_(b"Offline")
        ring = f.create_group(
            "METADATA/EOP_METADATA/om:featureOfInterest/eop:multiExtentOf/gml:surfaceMembers/gml:exterior",
            track_order=True,
        )
        ring.attrs["gml:posList"] = np.bytes_(b"10 20 10 21 11 21 11 20 10 20")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "dump":
        json.dump({p: dump(p) for p in args}, sys.stdout)
    elif command == "make":
        json.dump(make(args[0]), sys.stdout)
    elif command == "make-large":
        make_large(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
