#include "text/font_library.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ot.h>
#include <hb.h>
#include <unicode/locid.h>
#include <unicode/uscript.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <stdexcept>

#include "core/common/log.h"

namespace signpost::text {

// A font file, open for the life of the faces read from it (a .ttc's SC and TC faces share one).
// FreeType reads it with pread() through a stream of its own (see readFont); HarfBuzz reads its
// layout tables from a read-only mapping of it.
struct FontLibrary::FontFile {
    int fd = -1;
    void* data = MAP_FAILED;
    std::size_t size = 0;
    ~FontFile() {
        if (data != MAP_FAILED) {
            munmap(data, size);
        }
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

namespace {

// FreeType's stream read (ftsystem.h): `count` bytes at `offset` into `buffer`; a count of 0 is a
// seek, answered 0 when the offset is inside the file. Reading rather than handing FreeType the
// mapping matters for memory: a glyph's outline is a few hundred bytes somewhere in the 19 MB CJK
// collection, and the kernel maps a fault's neighbours too (fault-around, 64 KB), so a few hundred
// Chinese glyphs drawn from a mapping kept ~8 MB of each CJK file resident in the kiosk. Read,
// only the bytes FreeType asks for reach its own small buffers (the page cache is the kernel's).
unsigned long readFont(FT_Stream stream, unsigned long offset, unsigned char* buffer,
                       unsigned long count) {
    if (count == 0) {
        return offset <= stream->size ? 0 : 1;
    }
    const int fd = static_cast<int>(stream->descriptor.value);
    unsigned long done = 0;
    while (done < count) {
        const ssize_t got =
            ::pread(fd, buffer + done, count - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;  // FreeType treats a short read as an error of its own
        }
        done += static_cast<unsigned long>(got);
    }
    return done;
}

bool listed(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool reservedFor(const FontFamily& family, std::string_view language) {
    return std::any_of(family.languages.begin(), family.languages.end(),
                       [&](const std::string& l) { return languageMatches(language, l); });
}

std::string scriptName(int script) {
    const char* name = uscript_getShortName(static_cast<UScriptCode>(script));
    return name != nullptr ? name : "Zyyy";
}

}  // namespace

bool languageMatches(std::string_view tag, std::string_view language) noexcept {
    if (language.empty() || tag.size() < language.size()) {
        return false;
    }
    for (std::size_t i = 0; i < language.size(); ++i) {
        const char a = tag[i] >= 'A' && tag[i] <= 'Z' ? static_cast<char>(tag[i] + 32) : tag[i];
        const char b = language[i] >= 'A' && language[i] <= 'Z'
                           ? static_cast<char>(language[i] + 32)
                           : language[i];
        if (a != b && !((a == '_' || a == '-') && (b == '_' || b == '-'))) {
            return false;
        }
    }
    return tag.size() == language.size() || tag[language.size()] == '-' ||
           tag[language.size()] == '_';
}

bool isRightToLeftLanguage(std::string_view tag) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(std::string(tag), status);
    return U_SUCCESS(status) && locale.isRightToLeft();
}

FontLibrary::FontLibrary(FontConfig config) : m_config(std::move(config)) {
    if (m_config.families.empty()) {
        m_config = defaultFontConfig();
    }
    if (FT_Init_FreeType(&m_freetype) != 0) {
        throw std::runtime_error("FreeType could not start");
    }
}

FontLibrary::~FontLibrary() {
    for (auto& face : m_faces) {
        hb_font_destroy(face->hb);
        FT_Done_Face(face->ft);
    }
    m_faces.clear();
    FT_Done_FreeType(m_freetype);
}

std::shared_ptr<FontLibrary::FontFile> FontLibrary::openFile(const std::string& file) {
    if (auto existing = m_files[file].lock()) {
        return existing;
    }
    auto opened = std::make_shared<FontFile>();
    opened->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (opened->fd < 0) {
        return nullptr;
    }
    struct stat st {};
    if (fstat(opened->fd, &st) == 0 && st.st_size > 0) {
        opened->size = static_cast<std::size_t>(st.st_size);
        opened->data = mmap(nullptr, opened->size, PROT_READ, MAP_PRIVATE, opened->fd, 0);
    }
    if (opened->data == MAP_FAILED) {
        return nullptr;
    }
    m_files[file] = opened;
    return opened;
}

FaceId FontLibrary::open(std::size_t family, Weight weight, const FontSource& source,
                         bool synthetic) {
    const std::string file = source.file.string();
    std::shared_ptr<FontFile> fontFile = openFile(file);
    if (!fontFile) {
        return kNoFace;
    }
    // One stream per face (FreeType keeps its position in it); it outlives the FT_Face.
    auto stream = std::make_shared<FT_StreamRec>();
    stream->descriptor.value = fontFile->fd;
    stream->size = static_cast<unsigned long>(fontFile->size);
    stream->read = readFont;
    FT_Open_Args args{};
    args.flags = FT_OPEN_STREAM;
    args.stream = stream.get();
    FT_Face ft = nullptr;
    if (FT_Open_Face(m_freetype, &args, source.index, &ft) != 0) {
        return kNoFace;
    }
    if (!FT_IS_SCALABLE(ft) || ft->units_per_EM == 0) {
        FT_Done_Face(ft);
        return kNoFace;
    }
    hb_blob_t* blob = hb_blob_create(static_cast<const char*>(fontFile->data),
                                     static_cast<unsigned>(fontFile->size), HB_MEMORY_MODE_READONLY,
                                     nullptr, nullptr);
    hb_face_t* hbFace = hb_face_create(blob, static_cast<unsigned>(source.index));
    hb_blob_destroy(blob);
    hb_font_t* hb = hb_font_create(hbFace);
    hb_face_destroy(hbFace);

    auto face = std::make_unique<Face>();
    face->ft = ft;
    face->hb = hb;
    face->file = std::move(fontFile);
    face->stream = std::move(stream);
    const FontFamily& f = m_config.families[family];
    FaceInfo& info = face->info;
    info.file = file;
    info.index = source.index;
    info.family = family;
    info.weight = weight;
    info.syntheticBold = synthetic;
    info.unitsPerEm = static_cast<float>(ft->units_per_EM);
    info.ascent = f.ascent.value_or(static_cast<float>(ft->ascender) / info.unitsPerEm);
    info.descent = f.descent.value_or(static_cast<float>(-ft->descender) / info.unitsPerEm);
    info.scale = f.scale;
    info.measureInk = f.measureInk;
    if (m_faces.size() >= kNoFace) {
        throw std::runtime_error("too many font faces");
    }
    m_faces.push_back(std::move(face));
    return static_cast<FaceId>(m_faces.size() - 1);
}

FaceId FontLibrary::face(std::size_t family, Weight weight) {
    if (family >= m_config.families.size()) {
        return kNoFace;
    }
    const auto key = std::make_pair(family, weight);
    if (const auto found = m_byFamily.find(key); found != m_byFamily.end()) {
        return found->second;
    }
    const FontFamily& f = m_config.families[family];
    FaceId id = kNoFace;
    if (weight == Weight::Bold) {
        for (const FontSource& source : f.bold) {
            if ((id = open(family, weight, source, false)) != kNoFace) {
                break;
            }
        }
    }
    if (id == kNoFace) {
        for (const FontSource& source : f.regular) {
            if ((id = open(family, weight, source, weight == Weight::Bold)) != kNoFace) {
                break;
            }
        }
    }
    if (id == kNoFace) {
        logWarning("text", "font family \"" + f.name + "\": none of its files could be opened");
    } else if (m_faces[id]->info.syntheticBold) {
        logInfo("text",
                "font family \"" + f.name + "\": no bold file, emboldening the regular face");
    }
    m_byFamily.emplace(key, id);
    return id;
}

bool FontLibrary::covers(FaceId face, char32_t cp) const {
    if (face >= m_faces.size()) {
        return false;
    }
    hb_codepoint_t glyph = 0;
    return hb_font_get_nominal_glyph(m_faces[face]->hb, cp, &glyph) && glyph != 0;
}

const std::vector<std::size_t>& FontLibrary::candidates(int script, std::string_view language) {
    const auto key = std::make_pair(script, std::string(language));
    if (const auto found = m_candidates.find(key); found != m_candidates.end()) {
        return found->second;
    }
    const std::string name = scriptName(script);
    std::vector<std::size_t> order;
    std::set<std::size_t> seen;
    auto add = [&](auto&& predicate) {
        for (std::size_t i = 0; i < m_config.families.size(); ++i) {
            if (!seen.count(i) && predicate(m_config.families[i])) {
                order.push_back(i);
                seen.insert(i);
            }
        }
    };
    add([&](const FontFamily& f) { return listed(f.scripts, name) && reservedFor(f, language); });
    add([&](const FontFamily& f) { return listed(f.scripts, name) && f.languages.empty(); });
    add([&](const FontFamily& f) { return listed(f.scripts, name); });
    // Neutral characters (digits, punctuation) in any run: the base family before the rest.
    add([&](const FontFamily& f) { return f.languages.empty(); });
    add([](const FontFamily&) { return true; });
    return m_candidates.emplace(key, std::move(order)).first->second;
}

FaceId FontLibrary::faceFor(char32_t cp, int script, std::string_view language, Weight weight) {
    for (std::size_t family : candidates(script, language)) {
        const FaceId id = face(family, weight);
        if (id != kNoFace && covers(id, cp)) {
            return id;
        }
    }
    return kNoFace;
}

bool FontLibrary::canDraw(char32_t cp, std::string_view language) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
    return faceFor(cp, U_SUCCESS(status) ? script : USCRIPT_COMMON, language, Weight::Regular) !=
           kNoFace;
}

const std::vector<std::size_t>& FontLibrary::familiesForLanguage(std::string_view language) {
    if (const auto found = m_languageFamilies.find(language); found != m_languageFamilies.end()) {
        return found->second;
    }
    std::vector<std::string> scripts;
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode codes[8];
    const std::string tag(language);
    const int count = tag.empty() ? 0 : uscript_getCode(tag.c_str(), codes, 8, &status);
    if (U_SUCCESS(status)) {
        for (int i = 0; i < count; ++i) {
            const std::string name = scriptName(codes[i]);
            scripts.push_back(name);
            if (name == "Hans" || name == "Hant" || name == "Jpan" || name == "Kore") {
                scripts.push_back("Hani");
            }
        }
    }
    std::vector<std::size_t> result;
    auto covers = [&](const FontFamily& f) {
        return std::any_of(scripts.begin(), scripts.end(),
                           [&](const std::string& s) { return listed(f.scripts, s); });
    };
    for (int pass = 0; pass < 2 && result.empty(); ++pass) {
        for (std::size_t i = 0; i < m_config.families.size(); ++i) {
            const FontFamily& f = m_config.families[i];
            const bool wanted = pass == 0 ? covers(f) && reservedFor(f, language)
                                          : covers(f) && f.languages.empty();
            if (wanted) {
                result.push_back(i);
                break;  // one family per pass: the one that will draw the language's text
            }
        }
    }
    if (std::find(result.begin(), result.end(), 0) == result.end()) {
        result.push_back(0);
    }
    return m_languageFamilies.emplace(std::string(language), std::move(result)).first->second;
}

}  // namespace signpost::text
