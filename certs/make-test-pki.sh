#!/usr/bin/env bash
#
# make-test-pki.sh: build hoso's TEST PKI into certs/test/ (see certs/README.md).
#
# Usage: certs/make-test-pki.sh [--force]
#
# Key generation (and ECDSA signing) is random, so every run yields new keys and
# new signatures, and any fixture signed with the old keys stops verifying. The
# script therefore refuses to replace an existing certs/test/ unless given
# --force. Everything else is fixed below (names, serial numbers, validity
# windows, CRL dates, revocation time and reason), so a regenerated PKI behaves
# exactly like the previous one even though its bytes differ.
#
# Needs bash and the openssl command (3.0 or later). If `faketime` is installed
# the OCSP responses get a fixed thisUpdate; without it they carry the time of
# the run (openssl ocsp has no option to set thisUpdate).
#
# The output is built in a scratch directory next to certs/test/ and moved into
# place only after every self-check at the end has passed, so a failed run never
# leaves a half-made PKI behind.

set -euo pipefail

usage() { sed -n '3,5p' "$0" | sed 's/^# \{0,1\}//'; }

FORCE=0
for arg in "$@"; do
    case $arg in
        --force) FORCE=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEST=$HERE/test

if [[ -e $DEST && $FORCE -ne 1 ]]; then
    cat >&2 <<EOF
$DEST already exists.
Regenerating makes new random keys, which invalidates every fixture signed with
the current ones. If that is what you want, run: $0 --force
EOF
    exit 1
fi

command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }
case $(openssl version) in
    "OpenSSL 3."*) ;;
    *) echo "needs OpenSSL 3.x (for -crl_lastupdate and PKCS#12 defaults); found: $(openssl version)" >&2; exit 1 ;;
esac

# ---------------------------------------------------------------------------
# Fixed facts. Tests rely on these; change them only together with the tests.

BASE_URL=http://pki.test.invalid        # .invalid (RFC 2606): never resolvable

# Validity windows. UTCTime covers them all (years < 2050), as RFC 5280 wants.
ROOT_FROM=20200101000000Z;    ROOT_TO=20451231235959Z
CA_FROM=20200101000000Z;      CA_TO=20441231235959Z
EE_FROM=20250101000000Z;      EE_TO=20361231235959Z
EXPIRED_FROM=20210101000000Z; EXPIRED_TO=20220101000000Z
FUTURE_FROM=20400101000000Z;  FUTURE_TO=20441231235959Z

# The revoked signer was good from EE_FROM until this instant, so tests can ask
# both "status at a signing time before revocation" and "after".
REVOKED_AT=250601000000Z        # index.txt wants UTCTime: 2025-06-01T00:00:00Z
REVOKED_REASON=keyCompromise

CRL_LAST=20250602000000Z        # first CRL published after the revocation
CRL_NEXT=20361231235959Z        # long-lived so tests do not rot

OCSP_AT='2025-06-02 00:00:00'   # thisUpdate/producedAt when faketime exists
OCSP_DAYS=4230                  # 2025-06-02 + 4230 days = 2036-12-31

CHECK_AT=1893456000             # self-checks run at 2030-01-01T00:00:00Z

# Serial numbers start with 54455354, "TEST" in ASCII, so a test certificate is
# recognisable from its serial alone. The impostor root and CA reuse the serials
# of the real ones on purpose (see the untrusted hierarchy below).
serial() { printf '54455354%08X' "$1"; }

# Subjects. -subj syntax: "/" separates RDNs, "+" joins attributes into one
# multi-valued RDN. Vietnamese text is NFC and is encoded as UTF8String
# (string_mask = utf8only); countryName is always PrintableString.
ROOT_SUBJ="/C=VN/O=TEST Trung tâm Chứng thực điện tử quốc gia/CN=TEST Vietnam National Root CA"
CA1_SUBJ="/C=VN/ST=Hà Nội/L=Quận Cầu Giấy/O=TEST Công ty Cổ phần Chứng thực Hồ Sơ/CN=TEST Hoso Public CA 1"
CA2_SUBJ="/C=VN/ST=Hà Nội/L=Quận Cầu Giấy/O=TEST Công ty Cổ phần Chứng thực Hồ Sơ/CN=TEST Hoso Public CA 2"
OCSP1_SUBJ="/C=VN/ST=Hà Nội/O=TEST Công ty Cổ phần Chứng thực Hồ Sơ/CN=TEST Hoso Public CA 1 OCSP Responder"

# ---------------------------------------------------------------------------
# Scratch space and logging.

mkdir -p "$HERE"
STAGE=$(mktemp -d "$HERE/.make-test-pki.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
OUT=$STAGE/test             # becomes certs/test/
WORK=$STAGE/work            # CSRs, extension files, CA databases: not kept
LOG=$STAGE/openssl.log
mkdir -p "$OUT"/{ca,signers,crl,ocsp,db} "$WORK"/{newcerts,ext,csr}
: > "$LOG"

# openssl is chatty; keep its output out of the way unless a step fails.
run() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "FAILED: $*" >&2
        tail -n 25 "$LOG" >&2
        exit 1
    fi
}
say() { printf '%s\n' "$*"; }

REQ_CNF=$WORK/req.cnf
cat > "$REQ_CNF" <<'EOF'
# Only -subj supplies names; this file exists to force UTF8String encoding.
[ req ]
distinguished_name = dn
string_mask        = utf8only
utf8               = yes
[ dn ]
EOF

# ---------------------------------------------------------------------------
# Keys.

# genkey FILE SPEC: unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), which is what
# genpkey writes for every algorithm; other encodings are derived later.
genkey() {
    local file=$1 spec=$2
    case $spec in
        rsa:*)   run openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${spec#rsa:}" -out "$file" ;;
        ec:*)    run openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${spec#ec:}" \
                                     -pkeyopt ec_param_enc:named_curve -out "$file" ;;
        ed25519) run openssl genpkey -algorithm ED25519 -out "$file" ;;
        *) echo "unknown key spec $spec" >&2; exit 1 ;;
    esac
}

describe_key() {
    case $1 in
        rsa:*)   echo "RSA-${1#rsa:}" ;;
        ec:*)    echo "ECDSA ${1#ec:}" ;;
        ed25519) echo "Ed25519" ;;
    esac
}

# ---------------------------------------------------------------------------
# Certificate authorities. Each CA is an `openssl ca` database, because only
# `openssl ca` accepts fixed -startdate/-enddate in OpenSSL 3.0 (x509/req gained
# -not_before/-not_after in 3.4), and because its index.txt is also what
# `openssl ocsp` and `-gencrl` read revocation status from.

declare -A CA_CERT CA_KEY CA_MD

# new_ca_db NAME: the database and config for CA NAME. Names are unique per
# database, but the impostor hierarchy must be able to repeat names, so
# unique_subject is off; preserve keeps the DN exactly as requested (order,
# multi-valued RDNs) instead of reordering it by policy.
new_ca_db() {
    local name=$1 dir=$WORK/db/$1
    mkdir -p "$dir"
    : > "$dir/index.txt"
    echo 01 > "$dir/crlnumber"
    cat > "$dir/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
database       = $dir/index.txt
serial         = $dir/serial
crlnumber      = $dir/crlnumber
new_certs_dir  = $WORK/newcerts
default_md     = sha256
policy         = anything_goes
preserve       = yes
unique_subject = no
email_in_dn    = no
string_mask    = utf8only
copy_extensions = none
[ anything_goes ]
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
}

# Where the issuer of a certificate publishes status. Nothing listens there:
# tests must be given CRLs and OCSP responses as bytes.
status_pointers() {
    cat <<EOF
crlDistributionPoints = URI:$BASE_URL/crl/$1.crl
authorityInfoAccess = OCSP;URI:$BASE_URL/ocsp/$1, caIssuers;URI:$BASE_URL/cert/$1.cer
EOF
}

# Extension bodies. A real root has no AKI and no pathlen; a licensed CA may
# only issue end-entity certificates (pathlen:0). CAs also carry
# digitalSignature so they can sign OCSP responses themselves.
root_ext() {   # root_ext [SKI]
    cat <<EOF
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = ${1:-hash}
EOF
}
ca_ext() {     # ca_ext STATUS_NAME_OF_ISSUER [SKI]
    cat <<EOF
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, digitalSignature, keyCertSign, cRLSign
subjectKeyIdentifier = ${2:-hash}
authorityKeyIdentifier = keyid:always
$(status_pointers "$1")
EOF
}
# Signers: Circular 15/2025 signing certificates carry digitalSignature and
# nonRepudiation; no EKU, as is common for Vietnamese personal certificates.
leaf_ext() {   # leaf_ext STATUS_NAME_OF_ISSUER [KEY_USAGE] [BASIC_CONSTRAINTS]
    cat <<EOF
basicConstraints = critical, ${3:-CA:FALSE}
keyUsage = critical, ${2:-digitalSignature, nonRepudiation}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$(status_pointers "$1")
EOF
}

# Manifest rows, collected as certificates are made.
declare -a M_FILE M_ROLE M_KEY M_USE

# issue ISSUER OUTSTEM SUBJECT KEYFILE KEYSPEC SERIAL FROM TO EXT ROLE USE
#   ISSUER "self:NAME" makes a self-signed certificate for CA database NAME.
issue() {
    local issuer=$1 out=$2 subj=$3 key=$4 spec=$5 serial=$6 from=$7 to=$8 ext=$9
    local role=${10} use=${11}
    local stem=${out##*/} extfile csr db
    extfile=$WORK/ext/$stem.cnf
    csr=$WORK/csr/$stem.csr
    printf '[ ext ]\n%s\n' "$ext" > "$extfile"
    run openssl req -new -utf8 -config "$REQ_CNF" -key "$key" -subj "$subj" -out "$csr"

    local signer=()
    if [[ $issuer == self:* ]]; then
        db=${issuer#self:}
        signer=(-selfsign -keyfile "$key" -md sha256)
    else
        db=$issuer
        signer=(-cert "${CA_CERT[$issuer]}" -keyfile "${CA_KEY[$issuer]}" -md "${CA_MD[$issuer]}")
    fi
    echo "$serial" > "$WORK/db/$db/serial"
    run openssl ca -batch -notext -config "$WORK/db/$db/ca.cnf" -preserveDN "${signer[@]}" \
        -startdate "$from" -enddate "$to" -extfile "$extfile" -extensions ext \
        -in "$csr" -out "$out.pem"
    run openssl x509 -in "$out.pem" -outform DER -out "$out.der"

    M_FILE+=("${out#"$OUT"/}"); M_ROLE+=("$role"); M_KEY+=("$(describe_key "$spec")"); M_USE+=("$use")
}

# make_ca NAME ISSUER SUBJECT KEYSPEC MD SERIAL FROM TO EXT ROLE USE
make_ca() {
    local name=$1 issuer=$2 subj=$3 spec=$4 md=$5 serial=$6 from=$7 to=$8 ext=$9
    local key=$OUT/ca/$name.key.pem
    new_ca_db "$name"
    genkey "$key" "$spec"
    [[ $issuer == self ]] && issuer=self:$name
    issue "$issuer" "$OUT/ca/$name" "$subj" "$key" "$spec" "$serial" "$from" "$to" "$ext" "${10}" "${11}"
    CA_CERT[$name]=$OUT/ca/$name.pem
    CA_KEY[$name]=$key
    CA_MD[$name]=$md
}

# make_signer ISSUER STEM SUBJECT KEYSPEC SERIAL FROM TO EXT ROLE USE
make_signer() {
    local issuer=$1 stem=$2 spec=$4
    local key=$OUT/signers/$stem.key.pem
    genkey "$key" "$spec"
    issue "$issuer" "$OUT/signers/$stem" "$3" "$key" "$spec" "$5" "$6" "$7" "$8" "$9" "${10}"
}

# ---------------------------------------------------------------------------
say "openssl: $(openssl version)"
say "building the TEST PKI in $STAGE ..."

make_ca root self "$ROOT_SUBJ" rsa:4096 sha256 "$(serial 1)" "$ROOT_FROM" "$ROOT_TO" \
    "$(root_ext)" \
    "TEST national root (trust anchor)" \
    "The only trust anchor tests should configure. Self-signed, CA:TRUE, keyCertSign+cRLSign."

make_ca ca1 root "$CA1_SUBJ" rsa:2048 sha256 "$(serial 0x101)" "$CA_FROM" "$CA_TO" \
    "$(ca_ext root)" \
    "TEST licensed CA 1 (RSA)" \
    "Intermediate for most signers; pathlen:0; publishes crl/ca1.crl and the OCSP responses."

make_ca ca2 root "$CA2_SUBJ" ec:P-384 sha384 "$(serial 0x102)" "$CA_FROM" "$CA_TO" \
    "$(ca_ext root)" \
    "TEST licensed CA 2 (ECDSA)" \
    "Intermediate for person-cmnd; signs with ecdsa-with-SHA384; publishes crl/ca2.crl (empty)."

# A delegated responder (RFC 6960 §4.2.2.2) rather than CA 1 itself, because
# that is what licensed CAs run; ocsp-nocheck spares clients a status loop.
genkey "$OUT/ocsp/ca1-responder.key.pem" rsa:2048
issue ca1 "$OUT/ocsp/ca1-responder" "$OCSP1_SUBJ" "$OUT/ocsp/ca1-responder.key.pem" rsa:2048 \
    "$(serial 0x1F01)" "$EE_FROM" "$EE_TO" \
    "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always" \
    "OCSP responder delegated by CA 1" \
    "Signs ocsp/*.resp.der (id-kp-OCSPSigning, id-pkix-ocsp-nocheck). Chain: chain-ca1.pem."

# --- good signers ------------------------------------------------------------

make_signer ca1 person-cccd \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Nguyễn Thị Minh Khai (TEST)/UID=CCCD:001203004567" \
    rsa:2048 "$(serial 0x1001)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "person, citizen ID card (CCCD)" \
    "Valid signer. Chain OK with chain-ca1.pem. Identity CCCD 001203004567. Not on crl/ca1.crl; OCSP good (ocsp/person-cccd.resp.der)."

make_signer ca2 person-cmnd \
    "/C=VN/ST=Hà Nội/L=Quận Ba Đình/CN=Trần Văn Bình (TEST)/UID=CMND:012345678" \
    ec:P-256 "$(serial 0x2001)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca2)" \
    "person, old 9-digit ID card (CMND)" \
    "Valid signer. Chain OK with chain-ca2.pem. Identity CMND 012345678. Not on crl/ca2.crl."

# Two UIDs as two separate RDNs: the layout Vietnamese CAs use when a
# certificate carries several identifiers.
make_signer ca1 person-multi \
    "/C=VN/ST=Thành phố Hồ Chí Minh/L=Quận 3/CN=Lê Hoàng Phúc (TEST)/UID=CCCD:079088001234/UID=HC:C1234567" \
    rsa:3072 "$(serial 0x1002)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "person, two identifiers (repeated UID RDNs)" \
    "Valid signer. Chain OK with chain-ca1.pem. Identities CCCD 079088001234 and passport C1234567, in that order."

# The same idea as one multi-valued RDN. DER sorts the SET, so parsers that
# assume one attribute per RDN, or that keep input order, are caught here.
make_signer ca1 person-multi-mvrdn \
    "/C=VN/ST=Thành phố Đà Nẵng/L=Quận Hải Châu/CN=Phạm Thu Hà (TEST)/UID=HC:B7654321+UID=CCCD:048190000321" \
    rsa:2048 "$(serial 0x1003)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "person, two identifiers in one multi-valued RDN" \
    "Valid signer. Chain OK with chain-ca1.pem. Identities CCCD 048190000321 and passport B7654321, both in one RDN; DER sorts that SET, so HC comes first."

make_signer ca1 organisation \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/O=Công ty TNHH Hồ Sơ Số (TEST)/OU=Chi nhánh Tuyên Quang/CN=Công ty TNHH Hồ Sơ Số (TEST)/organizationIdentifier=VATVN-0301519977/UID=MST:0301519977-029" \
    rsa:2048 "$(serial 0x1004)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "organisation (branch), tax code" \
    "Valid signer. Chain OK with chain-ca1.pem. Identity MST 0301519977-029 (branch 029 of 0301519977); organizationIdentifier VATVN-0301519977."

make_signer ca1 ed25519 \
    "/C=VN/ST=Tuyên Quang/L=Huyện Yên Sơn/CN=Hoàng Văn Đức (TEST)/UID=CCCD:008095001122" \
    ed25519 "$(serial 0x1005)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "person, Ed25519 key" \
    "Chain OK with chain-ca1.pem (CA 1 signs it with RSA). Identity CCCD 008095001122. Ed25519 is outside Circular 15/2025 Annex I (RSA/ECDSA): the algorithm policy decides."

make_signer ca1 agency \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/O=TEST Ủy ban nhân dân tỉnh Tuyên Quang/CN=TEST Sở Tài nguyên và Môi trường Tuyên Quang/UID=MST:5000123459" \
    rsa:2048 "$(serial 0x1006)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "agency key for receipts and results" \
    "Valid signer for hoso-receipt (PAdES receipts, result covers). Chain OK with chain-ca1.pem. Identity MST 5000123459 (fictitious, valid check digit)."

# --- bad signers ---------------------------------------------------------------

make_signer ca1 expired \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Đỗ Thị Lan (TEST)/UID=CCCD:008185004455" \
    rsa:2048 "$(serial 0x1101)" "$EXPIRED_FROM" "$EXPIRED_TO" "$(leaf_ext ca1)" \
    "BAD: expired" \
    "Chain fails after 2022-01-01: certificate has expired (openssl error 10). At a signing time inside 2021 the chain is OK (historical documents)."

make_signer ca1 not-yet-valid \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Vũ Minh Tâm (TEST)/UID=CCCD:008098006677" \
    rsa:2048 "$(serial 0x1102)" "$FUTURE_FROM" "$FUTURE_TO" "$(leaf_ext ca1)" \
    "BAD: not yet valid" \
    "Chain fails before 2040-01-01: certificate is not yet valid (openssl error 9)."

make_signer ca1 wrong-key-usage \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Bùi Quốc Huy (TEST)/UID=CCCD:008090007788" \
    rsa:2048 "$(serial 0x1103)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1 keyEncipherment)" \
    "BAD: keyUsage keyEncipherment only" \
    "Chain OK (path validation ignores a leaf's key usage), but the signer policy must refuse: no digitalSignature/nonRepudiation. openssl verify -purpose smimesign: error 26."

make_signer ca1 revoked \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Ngô Thị Thu (TEST)/UID=CCCD:008187008899" \
    rsa:2048 "$(serial 0x1104)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "BAD: revoked 2025-06-01, keyCompromise" \
    "Chain OK; revoked by crl/ca1.crl (openssl -crl_check: error 23) and by OCSP (ocsp/revoked.resp.der), revocation time 2025-06-01T00:00:00Z. A signing time after that: revoked; before it: good at signing time."

make_signer ca1 rsa1024 \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Đặng Văn Nam (TEST)/UID=CCCD:008094009900" \
    rsa:1024 "$(serial 0x1105)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "BAD: RSA-1024 key" \
    "Chain OK by signatures and dates; the algorithm policy must refuse (RSA < 2048). openssl verify -auth_level 2: error 66 (EE key too small)."

# An end-entity certificate used as an issuer. keyCertSign is asserted on
# purpose so that basicConstraints CA:FALSE is the one thing wrong with it.
make_signer ca1 not-a-ca \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/O=TEST Công ty TNHH Không Phải CA/CN=TEST Not A CA/UID=MST:0301519977-030" \
    rsa:2048 "$(serial 0x1106)" "$EE_FROM" "$EE_TO" \
    "$(leaf_ext ca1 'digitalSignature, nonRepudiation, keyCertSign')" \
    "BAD as issuer: CA:FALSE with keyCertSign" \
    "As a leaf its chain is OK. As the issuer of signed-by-not-a-ca it must be rejected: basicConstraints CA:FALSE."
new_ca_db not-a-ca
CA_CERT[not-a-ca]=$OUT/signers/not-a-ca.pem
CA_KEY[not-a-ca]=$OUT/signers/not-a-ca.key.pem
CA_MD[not-a-ca]=sha256

make_signer not-a-ca signed-by-not-a-ca \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Mai Thị Hoa (TEST)/UID=CCCD:008192001357" \
    rsa:2048 "$(serial 0xE001)" "$EE_FROM" "$EE_TO" "$(leaf_ext not-a-ca)" \
    "BAD: issued by an end entity" \
    "Chain (signed-by-not-a-ca, not-a-ca, ca1, root) fails: invalid CA certificate (basicConstraints CA:FALSE; OpenSSL 3.0 error 79, X509_V_ERR_INVALID_CA; CA 1's pathlen:0 is exceeded as a consequence). Use chain-not-a-ca.pem."

# --- the impostor hierarchy ------------------------------------------------------
# An attacker's root that copies the national root's name byte for byte, and its
# serial number and subject key identifier too, so that name, serial, SKI and AKI
# all match the trusted root; only the key differs. Its CA copies CA 1 the same
# way. A verifier that picks issuers by name or key identifier and then forgets
# to check the signature, or that trusts "a root named like ours", accepts the
# signer below; a correct one fails on the signature.

root_ski=$(openssl x509 -in "$OUT/ca/root.pem" -noout -ext subjectKeyIdentifier | sed -n '2s/^ *//p')
ca1_ski=$(openssl x509 -in "$OUT/ca/ca1.pem" -noout -ext subjectKeyIdentifier | sed -n '2s/^ *//p')
[[ -n $root_ski && -n $ca1_ski ]] || { echo "could not read SKIs" >&2; exit 1; }

make_ca untrusted-root self "$ROOT_SUBJ" rsa:4096 sha256 "$(serial 1)" "$ROOT_FROM" "$ROOT_TO" \
    "$(root_ext "$root_ski")" \
    "BAD: impostor root (NOT a trust anchor)" \
    "Same subject bytes, serial and SKI as ca/root.pem, different key. Never configure it as trusted, except to show the impostor chain is otherwise sound."

make_ca untrusted-ca1 untrusted-root "$CA1_SUBJ" rsa:2048 sha256 "$(serial 0x101)" "$CA_FROM" "$CA_TO" \
    "$(ca_ext root "$ca1_ski")" \
    "BAD: impostor CA 1" \
    "Same subject bytes, serial and SKI as ca/ca1.pem; issued by untrusted-root."

make_signer untrusted-ca1 untrusted-signer \
    "/C=VN/ST=Tuyên Quang/L=Thành phố Tuyên Quang/CN=Nguyễn Thị Minh Khai (TEST)/UID=CCCD:001203004567" \
    rsa:2048 "$(serial 0x9001)" "$EE_FROM" "$EE_TO" "$(leaf_ext ca1)" \
    "BAD: signer under the impostor root" \
    "Same subject as person-cccd. Trusting ca/root.pem it must fail: certificate signature failure (openssl error 7), whether the intermediate given is untrusted-ca1 (chain-untrusted.pem) or the real ca1. Trusting untrusted-root.pem instead, it verifies."

# --- key and container encodings ---------------------------------------------------

S=$OUT/signers
# Traditional encodings, because deployed tools still emit them.
run openssl pkey -in "$S/person-cccd.key.pem" -traditional -out "$S/person-cccd.key.pkcs1.pem"
run openssl pkey -in "$S/person-cmnd.key.pem" -traditional -out "$S/person-cmnd.key.sec1.pem"
# PKCS#8 DER: OpenSSL 3.0's `pkey -outform DER` writes PKCS#1 for RSA.
run openssl pkcs8 -topk8 -nocrypt -outform DER -in "$S/person-cccd.key.pem" -out "$S/person-cccd.key.der"
run openssl pkcs8 -topk8 -in "$S/person-cccd.key.pem" -v2 aes-256-cbc -v2prf hmacWithSHA256 \
    -passout pass:hoso-test -out "$S/person-cccd.key.enc.pem"

cat "$OUT/ca/ca1.pem" "$OUT/ca/root.pem" > "$OUT/chain-ca1.pem"
cat "$OUT/ca/ca2.pem" "$OUT/ca/root.pem" > "$OUT/chain-ca2.pem"
cat "$OUT/ca/untrusted-ca1.pem" "$OUT/ca/untrusted-root.pem" > "$OUT/chain-untrusted.pem"
cat "$S/not-a-ca.pem" "$OUT/ca/ca1.pem" "$OUT/ca/root.pem" > "$OUT/chain-not-a-ca.pem"

# OpenSSL 3 defaults: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and
# certificates, SHA-256 MAC.
run openssl pkcs12 -export -in "$S/person-cccd.pem" -inkey "$S/person-cccd.key.pem" \
    -certfile "$OUT/chain-ca1.pem" -name "person-cccd (TEST)" -passout pass:hoso-test \
    -out "$S/person-cccd.p12"
# What older Windows and Java keystores produce: 3DES for the key, RC2-40 for
# the certificates, SHA-1 MAC. Needs OpenSSL's legacy provider.
LEGACY_RC2=0
if openssl list -providers -provider legacy >/dev/null 2>&1; then
    run openssl pkcs12 -export -legacy -in "$S/person-cccd.pem" -inkey "$S/person-cccd.key.pem" \
        -certfile "$OUT/chain-ca1.pem" -name "person-cccd (TEST)" -passout pass:hoso-test \
        -out "$S/person-cccd.legacy.p12"
    LEGACY_RC2=1
else
    say "warning: no legacy provider: person-cccd.legacy.p12 not made (RC2 needs it)"
fi
# 3DES throughout: the legacy format that readers without RC2 can still open.
run openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 \
    -in "$S/person-cccd.pem" -inkey "$S/person-cccd.key.pem" \
    -certfile "$OUT/chain-ca1.pem" -name "person-cccd (TEST)" -passout pass:hoso-test \
    -out "$S/person-cccd.3des.p12"

# --- revocation ----------------------------------------------------------------------

# openssl ca -revoke stamps the current time; the tests need a fixed one, so the
# index entry is rewritten afterwards (CRL and OCSP both read it from there).
CA1_ARGS=(-config "$WORK/db/ca1/ca.cnf" -cert "${CA_CERT[ca1]}" -keyfile "${CA_KEY[ca1]}")
run openssl ca "${CA1_ARGS[@]}" -revoke "$S/revoked.pem" -crl_reason "$REVOKED_REASON"
revoked_serial=$(serial 0x1104)
awk -F'\t' -v OFS='\t' -v s="$revoked_serial" -v at="$REVOKED_AT,$REVOKED_REASON" \
    '$1 == "R" && $4 == s { $3 = at } { print }' "$WORK/db/ca1/index.txt" > "$WORK/index.tmp"
mv "$WORK/index.tmp" "$WORK/db/ca1/index.txt"
grep -q "^R.*$REVOKED_AT,$REVOKED_REASON.*$revoked_serial" "$WORK/db/ca1/index.txt" \
    || { echo "revocation entry not rewritten" >&2; exit 1; }

# CRLs for every real CA, so that checking status at every level
# (openssl -crl_check_all, or a verifier that insists) can succeed.
for ca in root ca1 ca2; do
    run openssl ca -gencrl -config "$WORK/db/$ca/ca.cnf" -cert "${CA_CERT[$ca]}" \
        -keyfile "${CA_KEY[$ca]}" -md "${CA_MD[$ca]}" -crlexts crl_ext \
        -crl_lastupdate "$CRL_LAST" -crl_nextupdate "$CRL_NEXT" -out "$OUT/crl/$ca.crl.pem"
    run openssl crl -in "$OUT/crl/$ca.crl.pem" -outform DER -out "$OUT/crl/$ca.crl"
done

# OCSP: requests without nonces (pre-produced responses cannot echo one), then
# openssl ocsp as a one-shot responder over CA 1's index.
if command -v faketime >/dev/null; then
    AT_OCSP=(env TZ=UTC faketime -f "$OCSP_AT")
    OCSP_PINNED=1
else
    say "warning: faketime not found: OCSP thisUpdate will be the current time"
    AT_OCSP=()
    OCSP_PINNED=0
fi

# ocsp_answer NAME CERT RSIGNER RKEY
ocsp_answer() {
    local name=$1 cert=$2 rsigner=$3 rkey=$4
    run openssl ocsp -issuer "${CA_CERT[ca1]}" -cert "$cert" -no_nonce -reqout "$OUT/ocsp/$name.req.der"
    run "${AT_OCSP[@]}" openssl ocsp -index "$WORK/db/ca1/index.txt" -CA "${CA_CERT[ca1]}" \
        -rsigner "$rsigner" -rkey "$rkey" -rmd sha256 -ndays "$OCSP_DAYS" \
        -reqin "$OUT/ocsp/$name.req.der" -respout "$OUT/ocsp/$name.resp.der"
}
ocsp_answer revoked "$S/revoked.pem" "$OUT/ocsp/ca1-responder.pem" "$OUT/ocsp/ca1-responder.key.pem"
ocsp_answer person-cccd "$S/person-cccd.pem" "$OUT/ocsp/ca1-responder.pem" "$OUT/ocsp/ca1-responder.key.pem"
# The other responder model RFC 6960 allows: the CA signs with its own key.
ocsp_answer person-cccd.by-ca1 "$S/person-cccd.pem" "${CA_CERT[ca1]}" "${CA_KEY[ca1]}"

# Keep each CA's database: it records what was issued and revoked, and is
# what any further CRL or OCSP response must be made from.
for db in "$WORK"/db/*/; do
    name=$(basename "$db")
    cp "$db/index.txt" "$OUT/db/$name.index.txt"
done

# ---------------------------------------------------------------------------
# Self-checks. The PKI is only installed if every expectation holds.

say "checking ..."
FAILS=0
T=$OUT

# expect_verify WANT LABEL ARGS...: WANT is 0 for success or an X509_V_ERR code.
expect_verify() {
    local want=$1 label=$2; shift 2
    local out got
    if out=$(openssl verify -attime "$CHECK_AT" "$@" 2>&1); then
        got=0
    else
        got=$(sed -n 's/.*error \([0-9]*\) at .*/\1/p' <<<"$out" | head -n1)
        got=${got:-?}
    fi
    if [[ $got == "$want" ]]; then
        printf '  ok    %-58s %s\n' "$label" "$( [[ $want == 0 ]] && echo OK || echo "error $want" )"
    else
        printf '  FAIL  %-58s want %s, got %s\n%s\n' "$label" "$want" "$got" "$out"
        FAILS=$((FAILS + 1))
    fi
}
expect() {   # expect LABEL COMMAND...: the command must succeed
    local label=$1; shift
    if "$@" >>"$LOG" 2>&1; then printf '  ok    %s\n' "$label"
    else printf '  FAIL  %s\n' "$label"; FAILS=$((FAILS + 1)); fi
}
grep_out() {  # grep_out PATTERN COMMAND...: the command's output must match
    local pat=$1; shift
    "$@" 2>&1 | grep -q -- "$pat"
}

ROOT=$T/ca/root.pem
V=(-CAfile "$ROOT")
for s in person-cccd person-multi person-multi-mvrdn organisation ed25519 agency rsa1024 not-a-ca; do
    expect_verify 0 "$s chain" "${V[@]}" -untrusted "$T/chain-ca1.pem" -purpose smimesign "$S/$s.pem"
done
expect_verify 0  "person-cmnd chain" "${V[@]}" -untrusted "$T/chain-ca2.pem" -purpose smimesign "$S/person-cmnd.pem"
expect_verify 0  "ca1-responder chain" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$T/ocsp/ca1-responder.pem"
expect_verify 0  "person-cccd with CRLs at every level" "${V[@]}" -untrusted "$T/chain-ca1.pem" \
    -crl_check_all -CRLfile "$T/crl/root.crl.pem" -CRLfile "$T/crl/ca1.crl.pem" "$S/person-cccd.pem"
expect_verify 0  "person-cmnd with CRLs at every level" "${V[@]}" -untrusted "$T/chain-ca2.pem" \
    -crl_check_all -CRLfile "$T/crl/root.crl.pem" -CRLfile "$T/crl/ca2.crl.pem" "$S/person-cmnd.pem"
expect_verify 10 "expired" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/expired.pem"
expect_verify 0  "expired, at 2021-06-01" -attime 1622505600 "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/expired.pem"
expect_verify 9  "not-yet-valid" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/not-yet-valid.pem"
expect_verify 0  "wrong-key-usage, no purpose" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/wrong-key-usage.pem"
expect_verify 26 "wrong-key-usage, purpose smimesign" "${V[@]}" -untrusted "$T/chain-ca1.pem" -purpose smimesign "$S/wrong-key-usage.pem"
expect_verify 0  "revoked, no status check" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/revoked.pem"
expect_verify 23 "revoked, with crl/ca1.crl" "${V[@]}" -untrusted "$T/chain-ca1.pem" -crl_check -CRLfile "$T/crl/ca1.crl.pem" "$S/revoked.pem"
expect_verify 66 "rsa1024, auth_level 2" "${V[@]}" -untrusted "$T/chain-ca1.pem" -auth_level 2 "$S/rsa1024.pem"
expect_verify 7  "untrusted-signer via impostor CA, real root" "${V[@]}" -untrusted "$T/chain-untrusted.pem" "$S/untrusted-signer.pem"
expect_verify 7  "untrusted-signer via real ca1" "${V[@]}" -untrusted "$T/chain-ca1.pem" "$S/untrusted-signer.pem"
expect_verify 0  "untrusted-signer, trusting the impostor root" -CAfile "$T/ca/untrusted-root.pem" \
    -untrusted "$T/ca/untrusted-ca1.pem" "$S/untrusted-signer.pem"
expect_verify 79 "signed-by-not-a-ca" "${V[@]}" -untrusted "$T/chain-not-a-ca.pem" "$S/signed-by-not-a-ca.pem"

# Byte-identical names: subject_hash_old is MD5 over the name's DER bytes.
h() { openssl x509 -in "$1" -noout "$2"; }
expect "untrusted-root subject bytes == root subject bytes" \
    test "$(h "$T/ca/untrusted-root.pem" -subject_hash_old)" = "$(h "$ROOT" -subject_hash_old)"
expect "untrusted-ca1 subject bytes == ca1 subject bytes" \
    test "$(h "$T/ca/untrusted-ca1.pem" -subject_hash_old)" = "$(h "$T/ca/ca1.pem" -subject_hash_old)"
expect "untrusted-root key != root key" \
    test "$(h "$T/ca/untrusted-root.pem" -pubkey)" != "$(h "$ROOT" -pubkey)"

# Every certificate says TEST in both names.
says_test() {
    openssl x509 -in "$1" -noout -subject -nameopt RFC2253 | grep -q TEST &&
        openssl x509 -in "$1" -noout -issuer -nameopt RFC2253 | grep -q TEST
}
for c in "$T"/ca/*.pem "$T"/signers/*.pem "$T"/ocsp/*.pem; do
    [[ $c == *.key*.pem ]] && continue
    expect "TEST in subject and issuer of ${c#"$T"/}" says_test "$c"
done

# ocsp_says RESPONSE CERT PATTERN...: the response verifies against the TEST
# root and its text shows every pattern.
ocsp_says() {
    local resp=$1 cert=$2 text pat; shift 2
    text=$(openssl ocsp -respin "$resp" -resp_text -CAfile "$ROOT" -verify_other "$T/chain-ca1.pem"         -issuer "$T/ca/ca1.pem" -cert "$cert" 2>&1) || return 1
    for pat in "Response verify OK" "$@"; do
        grep -q -- "$pat" <<<"$text" || return 1
    done
}
expect "OCSP revoked: revoked, keyCompromise, 2025-06-01, signature OK" \
    ocsp_says "$T/ocsp/revoked.resp.der" "$S/revoked.pem" ": revoked" \
        "Revocation Time: Jun  1 00:00:00 2025 GMT" "Revocation Reason: keyCompromise"
for r in person-cccd person-cccd.by-ca1; do
    expect "OCSP $r: good, signature OK" ocsp_says "$T/ocsp/$r.resp.der" "$S/person-cccd.pem" ": good"
done
expect "CRL ca1 lists the revoked serial" \
    grep_out "Serial Number: $revoked_serial" openssl crl -in "$T/crl/ca1.crl.pem" -noout -text

expect "person-cccd.p12 opens with hoso-test" \
    openssl pkcs12 -info -in "$S/person-cccd.p12" -passin pass:hoso-test -noout
expect "person-cccd.p12 uses AES-256-CBC" \
    grep_out "AES-256-CBC" openssl pkcs12 -info -in "$S/person-cccd.p12" -passin pass:hoso-test -noout
expect "person-cccd.3des.p12 opens" \
    grep_out "pbeWithSHA1And3-KeyTripleDES-CBC" openssl pkcs12 -info -in "$S/person-cccd.3des.p12" -passin pass:hoso-test -noout
if [[ $LEGACY_RC2 == 1 ]]; then
    expect "person-cccd.legacy.p12 opens (RC2-40 certificates)" \
        grep_out "pbeWithSHA1And40BitRC2-CBC" openssl pkcs12 -legacy -info -in "$S/person-cccd.legacy.p12" -passin pass:hoso-test -noout
fi
expect "PKCS#1 key header" grep -q "BEGIN RSA PRIVATE KEY" "$S/person-cccd.key.pkcs1.pem"
expect "SEC1 key header" grep -q "BEGIN EC PRIVATE KEY" "$S/person-cmnd.key.sec1.pem"
expect "encrypted PKCS#8 opens" openssl pkey -in "$S/person-cccd.key.enc.pem" -passin pass:hoso-test -noout

if (( FAILS > 0 )); then
    echo "$FAILS self-check(s) failed; nothing installed (openssl log: certs/make-test-pki.log.failed)" >&2
    cp "$LOG" "$HERE/make-test-pki.log.failed" 2>/dev/null || true
    exit 1
fi

# ---------------------------------------------------------------------------
# MANIFEST.md, written from the certificates themselves so it cannot drift.

iso() { openssl x509 -in "$1" -noout "$2" -dateopt iso_8601 | sed 's/^[^=]*=//; s/ 00:00:00Z$//; s/ 23:59:59Z$/ 23:59:59/'; }
# DER order (C first), UTF-8 unescaped; "+" joins the values of one RDN.
dn() { openssl x509 -in "$1" -noout "$2" -nameopt RFC2253,-dn_rev,-esc_msb,sep_comma_plus_space | sed 's/^[^=]*= *//; s/|/\\|/g'; }
ocsp_times() {
    openssl ocsp -respin "$1" -resp_text -noverify 2>/dev/null |
        sed -n 's/^ *\(This Update\|Next Update\|Produced At\): \(.*\)/\1 \2/p' | paste -sd';' - | sed 's/;/; /g'
}

{
cat <<EOF
# TEST PKI manifest

Generated by \`certs/make-test-pki.sh\` with $(openssl version | cut -d' ' -f1-2). **Every
certificate here is a TEST certificate: never trust these roots outside tests.** Keys are
unencrypted PKCS#8 PEM (\`*.key.pem\`) unless stated; every certificate is in PEM (\`.pem\`) and
DER (\`.der\`). Password for every encrypted file: \`hoso-test\`.

Times are UTC. Self-checks in the script verify at 2030-01-01T00:00:00Z; tests that need a
"now" inside every valid window (certificates, CRLs and OCSP responses) should use a fixed
time such as 2030-01-01T00:00:00Z rather than the clock.

The identity is in the subject's UID attribute (0.9.2342.19200300.100.1.1) as
\`CCCD:\`, \`CMND:\`, \`HC:\` or \`MST:\`; *organisation* also has organizationIdentifier
(2.5.4.97). Names are UTF8String (countryName is PrintableString).

## Certificates

| file (.pem/.der) | role | key | valid from | valid until | subject (in DER order) | issuer CN | serial | use in tests / expected outcome |
|---|---|---|---|---|---|---|---|---|
EOF
for i in "${!M_FILE[@]}"; do
    f=$OUT/${M_FILE[$i]}.pem
    issuer_cn=$(openssl x509 -in "$f" -noout -issuer -nameopt RFC2253,-esc_msb | sed 's/.*CN=\([^,]*\).*/\1/')
    printf '| `%s` | %s | %s | %s | %s | %s | %s | `%s` | %s |\n' \
        "${M_FILE[$i]}" "${M_ROLE[$i]}" "${M_KEY[$i]}" "$(iso "$f" -startdate)" "$(iso "$f" -enddate)" \
        "$(dn "$f" -subject)" "$issuer_cn" "$(openssl x509 -in "$f" -noout -serial | cut -d= -f2)" "${M_USE[$i]}"
done

cat <<EOF

## Chains

Each chain file lists the issuing CA first, then up to its root. Pass the root as the
trust anchor and the rest as untrusted intermediates.

| file | contents | use |
|---|---|---|
| \`chain-ca1.pem\` | ca1, root | intermediates for every CA 1 signer and for the OCSP responder |
| \`chain-ca2.pem\` | ca2, root | intermediates for person-cmnd |
| \`chain-untrusted.pem\` | untrusted-ca1, untrusted-root | the impostor chain for untrusted-signer: with ca/root.pem trusted, must fail on the signature of untrusted-ca1 |
| \`chain-not-a-ca.pem\` | not-a-ca, ca1, root | the chain for signed-by-not-a-ca: must fail, basicConstraints of not-a-ca |

## Keys and key containers

| file | what |
|---|---|
| \`ca/*.key.pem\`, \`signers/*.key.pem\`, \`ocsp/ca1-responder.key.pem\` | private key of the certificate with the same stem; PKCS#8 PEM, unencrypted ("BEGIN PRIVATE KEY") |
| \`signers/person-cccd.key.pkcs1.pem\` | person-cccd's key as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") |
| \`signers/person-cccd.key.der\` | person-cccd's key as PKCS#8 DER |
| \`signers/person-cccd.key.enc.pem\` | person-cccd's key as encrypted PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY"; PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), password hoso-test |
| \`signers/person-cmnd.key.sec1.pem\` | person-cmnd's key as SEC1 PEM ("BEGIN EC PRIVATE KEY") |
| \`signers/person-cccd.p12\` | PKCS#12: person-cccd key + certificate + ca1 + root; OpenSSL 3 defaults (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC; MAC SHA-256); password hoso-test; friendlyName "person-cccd (TEST)" |
EOF
if [[ $LEGACY_RC2 == 1 ]]; then
    echo '| `signers/person-cccd.legacy.p12` | the same, `openssl pkcs12 -legacy`: key pbeWithSHA1And3-KeyTripleDES-CBC, certificates pbeWithSHA1And40BitRC2-CBC, MAC SHA-1 (reading it with OpenSSL 3 needs `-legacy`) |'
fi
cat <<EOF
| \`signers/person-cccd.3des.p12\` | the same, key and certificates pbeWithSHA1And3-KeyTripleDES-CBC, MAC SHA-1 (legacy, but readable without RC2) |

## Revocation data

CA 1 revoked \`signers/revoked.pem\` (serial \`$revoked_serial\`) at 2025-06-01T00:00:00Z,
reason keyCompromise. No other certificate is revoked.

| file | what | expected |
|---|---|---|
| \`crl/root.crl\`, \`crl/root.crl.pem\` | CRL of the root (DER, PEM); thisUpdate 2025-06-02, nextUpdate 2036-12-31 23:59:59 | empty: ca1 and ca2 are not revoked |
| \`crl/ca1.crl\`, \`crl/ca1.crl.pem\` | CRL of CA 1, same dates, CRL number and AKI extensions | lists revoked (2025-06-01, keyCompromise) |
| \`crl/ca2.crl\`, \`crl/ca2.crl.pem\` | CRL of CA 2, same dates | empty |
| \`ocsp/revoked.req.der\` | OCSP request (SHA-1 CertID, no nonce) for revoked | |
| \`ocsp/revoked.resp.der\` | OCSP response signed by ocsp/ca1-responder ($(ocsp_times "$OUT/ocsp/revoked.resp.der")) | revoked, 2025-06-01T00:00:00Z, keyCompromise |
| \`ocsp/person-cccd.req.der\` | OCSP request for person-cccd | |
| \`ocsp/person-cccd.resp.der\` | OCSP response signed by ocsp/ca1-responder ($(ocsp_times "$OUT/ocsp/person-cccd.resp.der")) | good |
| \`ocsp/person-cccd.by-ca1.req.der\` | the same request again | |
| \`ocsp/person-cccd.by-ca1.resp.der\` | OCSP response signed by CA 1 itself ($(ocsp_times "$OUT/ocsp/person-cccd.by-ca1.resp.der")) | good |

The OCSP responses include only the responder's certificate; verify them with
\`chain-ca1.pem\` as extra certificates and \`ca/root.pem\` as trust anchor.
EOF
if [[ $OCSP_PINNED == 1 ]]; then
    echo "Their thisUpdate/producedAt was pinned to 2025-06-02T00:00:00Z with faketime; nextUpdate is 4230 days later (2036-12-31)."
else
    echo "faketime was not available, so their thisUpdate/producedAt is the time of generation (above); nextUpdate is 4230 days later."
fi
cat <<EOF

## CA databases

| file | what |
|---|---|
| \`db/<ca>.index.txt\` | the \`openssl ca\` index of each CA (root, ca1, ca2, not-a-ca, untrusted-root, untrusted-ca1): what it issued and revoked. The OCSP responses and CRLs were made from these. |
EOF
} > "$OUT/MANIFEST.md"

# ---------------------------------------------------------------------------
if [[ -e $DEST ]]; then
    rm -rf "$DEST"
fi
mv "$OUT" "$DEST"
say "done: $DEST ($(find "$DEST" -type f | wc -l) files)"
