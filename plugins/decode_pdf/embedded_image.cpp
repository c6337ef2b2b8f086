#include "embedded_image.hpp"

#include <leptonica/allheaders.h>
// qpdf 11: std::shared_ptr in its API, no PointerHolder.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>

namespace saksi::decode_pdf {
namespace {

struct PixDeleter {
    void operator()(PIX* pix) const noexcept { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// A PDF matrix [a b c d e f]: x' = a x + c y + e, y' = b x + d y + f.
using Matrix = std::array<double, 6>;
constexpr Matrix kIdentity{1, 0, 0, 1, 0, 0};

// m1 then m2 (PDF's "m1 x m2").
Matrix multiply(const Matrix& m1, const Matrix& m2) {
    return {m1[0] * m2[0] + m1[1] * m2[2],         m1[0] * m2[1] + m1[1] * m2[3],
            m1[2] * m2[0] + m1[3] * m2[2],         m1[2] * m2[1] + m1[3] * m2[3],
            m1[4] * m2[0] + m1[5] * m2[2] + m2[4], m1[4] * m2[1] + m1[5] * m2[3] + m2[5]};
}

// Reads a page's content stream and keeps what a scanner's page holds: one
// image painted through q/cm/Do/Q. Any other painting operator (text, paths,
// shadings, inline images) makes the page one to render.
class ContentScan : public QPDFObjectHandle::ParserCallbacks {
public:
    struct Draw {
        std::string name;
        Matrix ctm;
    };
    std::vector<Draw> draws;
    std::string other;  // the first operator that is not q, Q, cm, Do or gs

    void handleObject(QPDFObjectHandle obj) override {
        if (!obj.isOperator()) {
            operands_.push_back(obj);
            return;
        }
        const std::string op = obj.getOperatorValue();
        if (op == "q") {
            stack_.push_back(ctm_);
        } else if (op == "Q") {
            if (!stack_.empty()) {
                ctm_ = stack_.back();
                stack_.pop_back();
            }
        } else if (op == "cm") {
            Matrix m{};
            if (operands_.size() != 6) return fail(op);
            for (std::size_t i = 0; i < 6; ++i) {
                if (!operands_[i].isNumber()) return fail(op);
                m[i] = operands_[i].getNumericValue();
            }
            ctm_ = multiply(m, ctm_);
        } else if (op == "Do") {
            if (operands_.size() != 1 || !operands_[0].isName()) return fail(op);
            draws.push_back({operands_[0].getName(), ctm_});
        } else if (op != "gs") {
            return fail(op);
        }
        operands_.clear();
    }
    void handleEOF() override {}

private:
    void fail(const std::string& op) {
        if (other.empty()) other = op.empty() ? "?" : op;
        terminateParsing();
    }
    Matrix ctm_ = kIdentity;
    std::vector<Matrix> stack_;
    std::vector<QPDFObjectHandle> operands_;  // not const: qpdf's getters are non-const
};

std::vector<std::string> filtersOf(QPDFObjectHandle dict) {
    std::vector<std::string> names;
    QPDFObjectHandle filter = dict.getKey("/Filter");
    if (filter.isName()) names.push_back(filter.getName());
    if (filter.isArray()) {
        for (int i = 0; i < filter.getArrayNItems(); ++i) {
            QPDFObjectHandle item = filter.getArrayItem(i);
            names.push_back(item.isName() ? item.getName() : "?");
        }
    }
    return names;
}

bool lossless(const std::string& filter) {
    return filter == "/FlateDecode" || filter == "/LZWDecode" || filter == "/RunLengthDecode" ||
           filter == "/ASCIIHexDecode" || filter == "/ASCII85Decode" || filter == "/Fl" ||
           filter == "/LZW" || filter == "/RL" || filter == "/AHx" || filter == "/A85";
}

// Components of a gray or RGB colour space; 0 for any other (CMYK, Lab,
// Indexed, Separation...), and -1 when absent (JPX carries its own).
int componentsOf(QPDFObjectHandle space) {
    if (space.isNull()) return -1;
    if (space.isArray() && space.getArrayNItems() >= 1) {
        QPDFObjectHandle family = space.getArrayItem(0);
        if (family.isName() && family.getName() == "/ICCBased" && space.getArrayNItems() >= 2 &&
            space.getArrayItem(1).isStream()) {
            QPDFObjectHandle n = space.getArrayItem(1).getDict().getKey("/N");
            if (n.isInteger() && (n.getIntValue() == 1 || n.getIntValue() == 3))
                return static_cast<int>(n.getIntValue());
            return 0;
        }
        if (family.isName() && family.getName() == "/CalGray") return 1;
        if (family.isName() && family.getName() == "/CalRGB") return 3;
        return 0;
    }
    if (!space.isName()) return 0;
    const std::string name = space.getName();
    if (name == "/DeviceGray" || name == "/G") return 1;
    if (name == "/DeviceRGB" || name == "/RGB") return 3;
    return 0;
}

// +1: the /Decode array is absent or [0 1 ...]; -1: all [1 0] (inverted); 0: other.
int decodeDirection(QPDFObjectHandle decode) {
    if (decode.isNull()) return 1;
    if (!decode.isArray() || decode.getArrayNItems() % 2 != 0) return 0;
    int direction = 0;
    for (int i = 0; i + 1 < decode.getArrayNItems(); i += 2) {
        QPDFObjectHandle lo = decode.getArrayItem(i), hi = decode.getArrayItem(i + 1);
        if (!lo.isNumber() || !hi.isNumber()) return 0;
        const int d = lo.getNumericValue() == 0 && hi.getNumericValue() == 1   ? 1
                      : lo.getNumericValue() == 1 && hi.getNumericValue() == 0 ? -1
                                                                               : 0;
        if (d == 0 || (direction != 0 && d != direction)) return 0;
        direction = d;
    }
    return direction == 0 ? 1 : direction;
}

long long intKey(QPDFObjectHandle dict, const char* key, long long fallback) {
    QPDFObjectHandle v = dict.getKey(key);
    return v.isInteger() ? v.getIntValue() : fallback;
}
bool boolKey(QPDFObjectHandle dict, const char* key, bool fallback) {
    QPDFObjectHandle v = dict.getKey(key);
    return v.isBool() ? v.getBoolValue() : fallback;
}

// CCITT fax data wrapped in a one-strip TIFF, which Leptonica (libtiff)
// decodes. Photometric WhiteIsZero: the decoded 1 bits are the black runs.
std::string ccittAsTiff(const std::string& data, uint32_t width, uint32_t height, long long k,
                        bool byteAlign) {
    std::string tiff = "II*";
    tiff.push_back('\0');
    auto put32 = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i) tiff.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    auto put16 = [&](uint16_t v) {
        tiff.push_back(static_cast<char>(v & 0xff));
        tiff.push_back(static_cast<char>(v >> 8));
    };
    struct Entry {
        uint16_t tag, type;  // 3 SHORT, 4 LONG
        uint32_t value;
    };
    std::vector<Entry> entries = {{256, 4, width},
                                  {257, 4, height},
                                  {258, 3, 1},
                                  {259, 3, k < 0 ? 4u : 3u},
                                  {262, 3, 0},
                                  {273, 4, 0},  // strip offset, set below
                                  {277, 3, 1},
                                  {278, 4, height},
                                  {279, 4, static_cast<uint32_t>(data.size())}};
    if (k >= 0) entries.push_back({292, 4, (k > 0 ? 1u : 0u) | (byteAlign ? 4u : 0u)});
    const uint32_t ifdSize = 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
    for (Entry& e : entries)
        if (e.tag == 273) e.value = 8 + ifdSize;
    put32(8);
    put16(static_cast<uint16_t>(entries.size()));
    for (const Entry& e : entries) {
        put16(e.tag);
        put16(e.type);
        put32(1);
        if (e.type == 3) {
            put16(static_cast<uint16_t>(e.value));
            put16(0);
        } else {
            put32(e.value);
        }
    }
    put32(0);
    tiff += data;
    return tiff;
}

// Raw samples (lossless filters decoded) into a Pix of depth 1, 8 or 32.
PixPtr pixFromSamples(const Buffer& data, uint32_t width, uint32_t height, int components,
                      int bits) {
    const std::size_t rowBytes = (std::size_t(width) * components * bits + 7) / 8;
    if (data.getSize() < rowBytes * height)
        throw std::runtime_error("the image stream is shorter than its size says");
    const uint8_t* src = data.getBuffer();
    if (components == 3) {
        PixPtr pix(pixCreate(width, height, 32));
        if (!pix) throw std::runtime_error("out of memory");
        for (uint32_t y = 0; y < height; ++y) {
            l_uint32* line = pixGetData(pix.get()) + std::size_t(y) * pixGetWpl(pix.get());
            const uint8_t* row = src + y * rowBytes;
            for (uint32_t x = 0; x < width; ++x) {
                l_uint32 pixel = 0;
                composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], &pixel);
                line[x] = pixel;
            }
        }
        return pix;
    }
    PixPtr pix(pixCreate(width, height, bits));
    if (!pix) throw std::runtime_error("out of memory");
    for (uint32_t y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<uint8_t*>(pixGetData(pix.get()) +
                                                std::size_t(y) * pixGetWpl(pix.get()));
        std::memcpy(line, src + y * rowBytes, rowBytes);
    }
    // Leptonica keeps pixels in 32-bit words, most significant first.
    pixEndianByteSwap(pix.get());
    // PDF gray 1-bit: 0 is black; Leptonica 1 bpp: 1 is black.
    if (bits == 1) pixInvert(pix.get(), pix.get());
    return pix;
}

}  // namespace

struct PdfImages::Impl {
    QPDF pdf;
    std::vector<QPDFPageObjectHelper> pages;
    struct Found {
        QPDFObjectHandle stream;
        int rotation = 0;  // clockwise quarter turns
        EmbeddedImage image;
    };
    std::map<int, Found> found;  // by page index, from probe()
};

PdfImages::PdfImages(std::span<const uint8_t> bytes, const std::string& password)
    : impl_(std::make_unique<Impl>()) {
    try {
        impl_->pdf.setSuppressWarnings(true);
        impl_->pdf.processMemoryFile("document.pdf", reinterpret_cast<const char*>(bytes.data()),
                                     bytes.size(), password.empty() ? nullptr : password.c_str());
        impl_->pages = QPDFPageDocumentHelper(impl_->pdf).getAllPages();
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("qpdf cannot read the file: ") + e.what());
    }
}

PdfImages::~PdfImages() = default;

std::optional<EmbeddedImage> PdfImages::probe(int index, std::string& whyNot) {
    try {
        if (index < 0 || static_cast<std::size_t>(index) >= impl_->pages.size()) {
            whyNot = "qpdf sees no such page";
            return std::nullopt;
        }
        QPDFPageObjectHelper page = impl_->pages[index];
        ContentScan scan;
        page.parseContents(&scan);
        if (!scan.other.empty()) {
            whyNot = "content other than one image (operator " + scan.other + ")";
            return std::nullopt;
        }
        if (scan.draws.size() != 1) {
            whyNot = std::to_string(scan.draws.size()) + " XObjects drawn";
            return std::nullopt;
        }
        const ContentScan::Draw& draw = scan.draws.front();
        QPDFObjectHandle xobjects = page.getAttribute("/Resources", false).getKeyIfDict("/XObject");
        QPDFObjectHandle stream = xobjects.getKeyIfDict(draw.name);
        if (!stream.isStream()) {
            whyNot = "the drawn XObject is missing";
            return std::nullopt;
        }
        QPDFObjectHandle dict = stream.getDict();
        if (!dict.getKey("/Subtype").isNameAndEquals("/Image")) {
            whyNot = "a form XObject, not an image";
            return std::nullopt;
        }
        if (boolKey(dict, "/ImageMask", false) || !dict.getKey("/SMask").isNull() ||
            !dict.getKey("/Mask").isNull()) {
            whyNot = "a masked image";
            return std::nullopt;
        }
        const long long width = intKey(dict, "/Width", 0), height = intKey(dict, "/Height", 0);
        if (width <= 0 || height <= 0 || width > 100000 || height > 100000) {
            whyNot = "an image without a usable size";
            return std::nullopt;
        }
        const std::vector<std::string> filters = filtersOf(dict);
        const std::string last = filters.empty() ? "none" : filters.back();
        const int components = componentsOf(dict.getKey("/ColorSpace"));
        const int bits = static_cast<int>(intKey(dict, "/BitsPerComponent", 0));
        const bool special = last == "/DCTDecode" || last == "/DCT" || last == "/JPXDecode" ||
                             last == "/CCITTFaxDecode" || last == "/CCF";
        if (special && filters.size() > 1) {
            whyNot = "a filter chain ending in " + last;
            return std::nullopt;
        }
        if (!special && !std::all_of(filters.begin(), filters.end(), lossless)) {
            whyNot = "filter " + last;  // JBIG2Decode, Crypt...
            return std::nullopt;
        }
        if (components == 0 || (components < 0 && last != "/JPXDecode")) {
            whyNot = "a colour space other than gray or RGB";
            return std::nullopt;
        }
        if (decodeDirection(dict.getKey("/Decode")) == 0) {
            whyNot = "an unusual /Decode array";
            return std::nullopt;
        }
        if (!special && !((bits == 8 && (components == 1 || components == 3)) ||
                          (bits == 1 && components == 1))) {
            whyNot = std::to_string(bits) + "-bit samples";
            return std::nullopt;
        }
        if (last == "/DCTDecode" || last == "/DCT") {
            // The JPEG's own header must agree with the dictionary.
            const std::shared_ptr<Buffer> raw = stream.getRawStreamData();
            l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
            if (pixReadHeaderMem(raw->getBuffer(), raw->getSize(), &format, &w, &h, &bps, &spp,
                                 &cmap) != 0 ||
                w != width || h != height || (spp != 1 && spp != 3)) {
                whyNot = "a JPEG whose header does not match the image";
                return std::nullopt;
            }
        }

        // Upright, filling the crop box: the image's unit square maps to it.
        const Matrix& m = draw.ctm;
        const QPDFObjectHandle::Rectangle crop =
            page.getCropBox(false, false).getArrayAsRectangle();
        const double cropW = std::abs(crop.urx - crop.llx), cropH = std::abs(crop.ury - crop.lly);
        const double tolX = std::max(2.0, cropW * 0.01), tolY = std::max(2.0, cropH * 0.01);
        if (std::abs(m[1]) > 1e-6 || std::abs(m[2]) > 1e-6 || m[0] <= 0 || m[3] <= 0 ||
            std::abs(m[4] - std::min(crop.llx, crop.urx)) > tolX ||
            std::abs(m[5] - std::min(crop.lly, crop.ury)) > tolY || std::abs(m[0] - cropW) > tolX ||
            std::abs(m[3] - cropH) > tolY) {
            whyNot = "the image is not drawn upright over the whole page";
            return std::nullopt;
        }
        const double dpiX = width / (m[0] / 72.0), dpiY = height / (m[3] / 72.0);
        if (std::abs(dpiX - dpiY) > 0.02 * dpiX) {
            whyNot = "non-square pixels";
            return std::nullopt;
        }
        long long rotate = 0;
        QPDFObjectHandle rotateKey = page.getAttribute("/Rotate", false);
        if (rotateKey.isInteger()) rotate = rotateKey.getIntValue();
        rotate = ((rotate % 360) + 360) % 360;
        if (rotate % 90 != 0) {
            whyNot = "a /Rotate that is not a quarter turn";
            return std::nullopt;
        }

        Impl::Found found;
        found.stream = stream;
        found.rotation = static_cast<int>(rotate / 90);
        const bool swap = found.rotation % 2 == 1;
        found.image.width = static_cast<uint32_t>(swap ? height : width);
        found.image.height = static_cast<uint32_t>(swap ? width : height);
        found.image.dpi = static_cast<uint32_t>(std::lround((dpiX + dpiY) / 2));
        found.image.filter = last == "none" ? last : last.substr(1);
        impl_->found[index] = found;
        return found.image;
    } catch (const std::exception& e) {
        whyNot = std::string("qpdf: ") + e.what();
        return std::nullopt;
    }
}

DecodedImage PdfImages::decode(int index, bool gray) {
    const auto it = impl_->found.find(index);
    if (it == impl_->found.end()) throw std::runtime_error("the page was not probed");
    const Impl::Found& found = it->second;
    QPDFObjectHandle stream = found.stream;
    QPDFObjectHandle dict = stream.getDict();
    const auto width = static_cast<uint32_t>(intKey(dict, "/Width", 0));
    const auto height = static_cast<uint32_t>(intKey(dict, "/Height", 0));
    const std::string& filter = found.image.filter;
    PixPtr pix;
    try {
        if (filter == "DCTDecode" || filter == "DCT" || filter == "JPXDecode") {
            const std::shared_ptr<Buffer> raw = stream.getRawStreamData();
            pix.reset(pixReadMem(raw->getBuffer(), raw->getSize()));
        } else if (filter == "CCITTFaxDecode" || filter == "CCF") {
            QPDFObjectHandle parms = dict.getKey("/DecodeParms");
            if (parms.isArray() && parms.getArrayNItems() > 0) parms = parms.getArrayItem(0);
            const long long k = parms.isDictionary() ? intKey(parms, "/K", 0) : 0;
            const bool align = parms.isDictionary() && boolKey(parms, "/EncodedByteAlign", false);
            const bool blackIs1 = parms.isDictionary() && boolKey(parms, "/BlackIs1", false);
            const long long columns = parms.isDictionary() ? intKey(parms, "/Columns", 1728) : 1728;
            if (columns != width) throw std::runtime_error("CCITT /Columns differs from /Width");
            const std::shared_ptr<Buffer> raw = stream.getRawStreamData();
            const std::string tiff = ccittAsTiff(
                std::string(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize()), width,
                height, k, align);
            pix.reset(
                pixReadMemTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), 0));
            // BlackIs1: the decoder's 1 bits are black, which DeviceGray shows white.
            if (pix && blackIs1) pixInvert(pix.get(), pix.get());
        } else {
            const std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_specialized);
            pix = pixFromSamples(*data, width, height, componentsOf(dict.getKey("/ColorSpace")),
                                 static_cast<int>(intKey(dict, "/BitsPerComponent", 8)));
        }
    } catch (const std::runtime_error&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("qpdf: ") + e.what());
    }
    if (!pix) throw std::runtime_error("Leptonica cannot decode the " + filter + " image");
    if (pixGetWidth(pix.get()) != static_cast<l_int32>(width) ||
        pixGetHeight(pix.get()) != static_cast<l_int32>(height))
        throw std::runtime_error("the " + filter + " image decodes to another size");
    if (decodeDirection(dict.getKey("/Decode")) < 0) pixInvert(pix.get(), pix.get());

    // To 8 bpp gray or 32 bpp RGB.
    if (pixGetColormap(pix.get()))
        pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
    if (pix && pixGetDepth(pix.get()) == 1) pix.reset(pixConvert1To8(nullptr, pix.get(), 255, 0));
    if (pix && pixGetDepth(pix.get()) == 16) pix.reset(pixConvert16To8(pix.get(), L_MS_BYTE));
    if (pix && pixGetDepth(pix.get()) == 32 && gray) pix.reset(pixConvertRGBToLuminance(pix.get()));
    if (!pix || (pixGetDepth(pix.get()) != 8 && pixGetDepth(pix.get()) != 32))
        throw std::runtime_error("the " + filter + " image has an unsupported depth");
    if (found.rotation != 0) pix.reset(pixRotateOrth(pix.get(), found.rotation));
    if (!pix) throw std::runtime_error("out of memory rotating the image");

    DecodedImage out;
    out.width = static_cast<uint32_t>(pixGetWidth(pix.get()));
    out.height = static_cast<uint32_t>(pixGetHeight(pix.get()));
    out.rgb = pixGetDepth(pix.get()) == 32;
    out.pixels.resize(std::size_t(out.width) * out.height * (out.rgb ? 3 : 1));
    const l_int32 wpl = pixGetWpl(pix.get());
    for (uint32_t y = 0; y < out.height; ++y) {
        const l_uint32* line = pixGetData(pix.get()) + std::size_t(y) * wpl;
        uint8_t* dst = out.pixels.data() + std::size_t(y) * out.width * (out.rgb ? 3 : 1);
        for (uint32_t x = 0; x < out.width; ++x) {
            if (out.rgb) {
                l_int32 r = 0, g = 0, b = 0;
                extractRGBValues(line[x], &r, &g, &b);
                dst[3 * x] = static_cast<uint8_t>(r);
                dst[3 * x + 1] = static_cast<uint8_t>(g);
                dst[3 * x + 2] = static_cast<uint8_t>(b);
            } else {
                dst[x] = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
            }
        }
    }
    return out;
}

}  // namespace saksi::decode_pdf
