//! Every interface text of the newsroom (`/admin`), per language. One table: each
//! row names a text and gives it in Indonesian and English, so a language cannot lack
//! a text the other has.

macro_rules! admin_strings {
    ($($field:ident: $id:literal, $en:literal;)*) => {
        /// The newsroom's texts in one language.
        #[derive(Debug)]
        pub struct AdminStrings {
            $(pub $field: &'static str,)*
        }

        pub(crate) static ADMIN_ID: AdminStrings = AdminStrings { $($field: $id,)* };
        pub(crate) static ADMIN_EN: AdminStrings = AdminStrings { $($field: $en,)* };
    };
}

admin_strings! {
    lang: "id", "en";
    newsroom: "Ruang redaksi", "Newsroom";
    login: "Masuk", "Log in";
    logout: "Keluar", "Log out";
    email: "Surel", "Email";
    password: "Kata sandi", "Password";
    password_help: "Paling sedikit 10 karakter.", "At least 10 characters.";
    name: "Nama", "Name";
    login_failed: "Surel atau kata sandi salah.", "Wrong email or password.";
    login_throttled: "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.", "Too many failed logins. Try again in 15 minutes.";
    session_expired: "Sesi Anda telah berakhir. Silakan masuk lagi; tidak ada yang tersimpan dari permintaan terakhir.", "Your session has expired. Please log in again; nothing of your last request was saved.";
    session_expired_kept: "Sesi Anda telah berakhir. Masuk lagi: teks yang Anda kirim disimpan dan akan dikembalikan ke editor (belum diterbitkan atau disimpan ke artikel).", "Your session has expired. Log in again: the text you sent was kept and will be put back in the editor (not yet saved to the article).";
    stash_restored: "Teks yang Anda kirim saat sesi berakhir dikembalikan di bawah ini. Periksa lalu simpan.", "The text you sent when your session ended is back below. Check it, then save.";
    autosave_expired: "Sesi berakhir: simpan otomatis gagal. Masuk lagi di tab lain, lalu simpan.", "Session expired: autosave failed. Log in again in another tab, then save.";
    form_too_large: "Formulir terlalu besar.", "The form is too large.";
    photo_live: "Foto ini dipakai artikel yang sudah terbit; hanya editor yang boleh mengubah keterangan, kredit, dan teks alternatifnya.", "This photo is used by a published article; only editors may change its caption, credit and alt text.";
    rev_photo_text: "keterangan foto diubah", "photo text changed";
    csrf_failed: "Formulir ini kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi; tidak ada yang berubah.", "This form has expired or is not valid. Reload the page and try again; nothing was changed.";
    forbidden: "Peran Anda tidak berhak melakukan ini.", "Your role may not do this.";
    setup_title: "Buat akun admin pertama", "Create the first admin account";
    setup_done: "Situs ini sudah punya akun. Silakan masuk.", "This site has accounts already. Please log in.";
    articles: "Artikel", "Articles";
    new_article: "Tulis artikel", "Write an article";
    photos: "Foto", "Photos";
    users: "Pengguna", "Users";
    all: "Semua", "All";
    mine: "Tulisan saya", "My articles";
    st_draft: "Draf", "Draft";
    st_in_review: "Menunggu tinjauan", "In review";
    st_scheduled: "Terjadwal", "Scheduled";
    st_published: "Terbit", "Published";
    st_unpublished: "Ditarik", "Unpublished";
    status: "Status", "Status";
    changed: "Diubah", "Changed";
    nothing: "Belum ada apa-apa di sini.", "Nothing here yet.";
    headline: "Judul", "Headline";
    lede: "Ringkasan", "Lede";
    body: "Isi", "Body";
    body_help: "Satu paragraf per blok, dipisah baris kosong. ## Subjudul · > Kutipan (baris terakhir > — Sumber) · [foto 12 | keterangan | kredit] · [embed https://… | judul]. Tautan dan huruf tebal/miring boleh ditulis sebagai HTML.", "One paragraph per block, blocks separated by a blank line. ## Sub-heading · > Quote (last line > — Source) · [foto 12 | caption | credit] · [embed https://… | title]. Links and bold/italic may be written as HTML.";
    section: "Rubrik", "Section";
    tags: "Topik", "Tags";
    tags_help: "Satu per baris: jenis: nama (orang, organisasi, tempat, topik). Tanpa jenis berarti topik.", "One per line: kind: name (person, organisation, place, topic). No kind means topic.";
    suggestions: "Saran dari teks", "Suggested from the text";
    dateline: "Tempat (dateline)", "Dateline place";
    hero: "Nomor foto utama", "Hero photo number";
    sensitive: "Berita sensitif (tanpa iklan)", "Sensitive story (no ads)";
    publish_at: "Waktu terbit (zona situs)", "Publication time (site's zone)";
    publish_at_help: "Untuk jadwal dan embargo. Kosong berarti sekarang.", "For scheduling and embargoes. Empty means now.";
    pins: "Sematkan di Berita terkait (nomor artikel, dipisah koma)", "Pin in related news (article numbers, comma-separated)";
    excludes: "Jangan tampilkan di Berita terkait (nomor artikel)", "Never show in related news (article numbers)";
    save: "Simpan", "Save";
    submit: "Kirim untuk ditinjau", "Submit for review";
    withdraw: "Kembalikan ke draf", "Back to draft";
    publish: "Terbitkan", "Publish";
    schedule: "Jadwalkan", "Schedule";
    unpublish: "Tarik dari situs", "Unpublish";
    preview: "Pratinjau", "Preview";
    preview_changes: "Pratinjau perubahan", "Preview the changes";
    view_live: "Lihat di situs", "View on the site";
    revisions: "Riwayat revisi", "Revisions";
    correction: "Koreksi", "Correction";
    add_correction: "Tambahkan koreksi", "Add a correction";
    correction_help: "Koreksi tampil bertanggal di akhir artikel.", "A correction shows, dated, at the end of the article.";
    saved: "Tersimpan.", "Saved.";
    autosaved: "Tersimpan otomatis", "Saved automatically";
    not_saved: "Belum tersimpan:", "Not saved:";
    conflict_title: "Orang lain menyimpan artikel ini lebih dulu", "Someone else saved this article first";
    conflict_body: "Versi Anda belum disimpan. Bandingkan keduanya, lalu pilih.", "Your version was not saved. Compare the two, then choose.";
    theirs: "Versi tersimpan", "Saved version";
    yours: "Versi Anda", "Your version";
    keep_theirs: "Buang versi saya, buka versi tersimpan", "Drop mine, open the saved version";
    save_mine: "Simpan versi saya di atasnya", "Save my version over it";
    compare: "Bandingkan", "Compare";
    restore: "Pulihkan revisi ini", "Restore this revision";
    revision: "Revisi", "Revision";
    by: "oleh", "by";
    upload: "Unggah foto", "Upload a photo";
    upload_help: "JPEG, PNG atau WebP, paling besar 20 MB dan 50 megapiksel. Data lokasi dihapus.", "JPEG, PNG or WebP, at most 20 MB and 50 megapixels. Location data is removed.";
    file: "Berkas", "File";
    caption: "Keterangan", "Caption";
    credit: "Kredit", "Credit";
    alt: "Teks alternatif (wajib)", "Alt text (required)";
    search: "Cari", "Search";
    use_photo: "Pakai di artikel", "Use in an article";
    role: "Peran", "Role";
    role_contributor: "Kontributor", "Contributor";
    role_editor: "Editor", "Editor";
    role_admin: "Admin", "Admin";
    disable: "Nonaktifkan", "Disable";
    enable: "Aktifkan", "Enable";
    disabled: "nonaktif", "disabled";
    add_user: "Tambah pengguna", "Add a user";
    change: "Ubah", "Change";
    site: "Situs", "Site";
    site_name: "Nama situs", "Site name";
    tagline: "Slogan", "Tagline";
    dateline_brand: "Merek dateline", "Dateline brand";
    time_zone: "Zona waktu (IANA, mis. Asia/Jakarta)", "Time zone (IANA, e.g. Asia/Jakarta)";
    language: "Bahasa", "Language";
    sunday: "Nama hari Minggu", "The word for Sunday";
    ad_first_after: "Iklan pertama setelah paragraf ke- (0: tanpa iklan)", "First ad after paragraph (0: no ads)";
    ad_every: "Iklan berikutnya tiap … paragraf (0: sekali saja)", "Next ads every … paragraphs (0: only one)";
    page_size: "Berita per halaman daftar", "Stories per list page";
    base_url: "Alamat publik situs", "The site's public address";
    feed_full_text: "Feed memuat teks lengkap", "Feeds carry the whole text";
    sections: "Rubrik", "Sections";
    translation_of: "Terjemahan dari artikel nomor", "Translation of article number";
    add_section: "Tambah rubrik", "Add a section";
    slug: "Alamat", "Address";
    position: "Urutan", "Order";
    rev_created: "dibuat", "created";
    rev_before: "sebelum suntingan pertama (hasil impor)", "before the first edit (as imported)";
    rev_autosave: "tersimpan otomatis", "saved automatically";
    rev_saved: "disimpan", "saved";
    rev_submitted: "dikirim untuk ditinjau", "submitted for review";
    rev_withdrawn: "dikembalikan ke draf", "back to draft";
    rev_published: "diterbitkan", "published";
    rev_scheduled: "dijadwalkan", "scheduled";
    rev_unpublished: "ditarik", "unpublished";
    rev_correction: "koreksi", "correction";
    rev_imported: "diimpor", "imported";
    rev_restored: "memulihkan revisi {n}", "restored revision {n}";
    system_status: "Status sistem", "System status";
    version: "Versi", "Version";
    database: "Basis data", "Database";
    readiness: "Kesiapan melayani pembaca", "Ready for readers";
    check_ok: "baik", "fine";
    check_failed: "bermasalah", "failing";
    data_folder: "Folder data", "Data folder";
    disk_used: "Ruang disk terpakai", "Disk used";
    last_backup: "Cadangan terakhir", "Last backup";
    never_backed_up: "Belum pernah. Buat cadangan dengan", "Never. Make one with";
    backup_or: "(SQLite) atau", "(SQLite) or";
    check_database: "Basis data menjawab", "The database answers";
    check_search: "Indeks pencarian", "The search index";
    check_related: "Daftar berita terkait", "The related lists";
    answered_in: "menjawab dalam {ms} ms", "answered in {ms} ms";
    lag_detail: "{s} detik di belakang log perubahan (paling lama {max})", "{s} s behind the change log (at most {max})";
    page_cache: "Cache halaman", "Page cache";
    cache_figures: "{pages} halaman, {mb} MB; {hits} kali dari cache, {misses} kali dirender sejak mulai", "{pages} pages, {mb} MB; {hits} answered from it, {misses} rendered since start";
    recent_errors: "Peringatan dan galat terakhir", "Recent warnings and errors";
    no_errors: "Tidak ada sejak server dimulai.", "None since the server started.";
    when: "Waktu", "When";
    level: "Tingkat", "Level";
    what: "Isi", "What";
    previous: "Sebelumnya", "Previous";
    next: "Berikutnya", "Next";
}
