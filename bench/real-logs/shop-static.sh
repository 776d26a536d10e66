# Sourced by nginx.sh and apache.sh: the shop's static files under $1/html, which the web server serves itself
# (varied sizes, as a shop's assets; contents made up each run).
shop_static() {
    mkdir -p "$1"/html/static/css "$1"/html/static/js "$1"/html/static/img
    head -c 48211 /dev/urandom | base64 > "$1/html/static/css/app.3f9c1e.css"
    head -c 181733 /dev/urandom | base64 > "$1/html/static/js/app.8d41b2.js"
    head -c 5430 /dev/urandom > "$1/html/favicon.ico"
    for i in $(seq 1 12); do head -c $((20000 + i * 7919)) /dev/urandom > "$1/html/static/img/p$i.jpg"; done
    chmod -R a+rwx "$1"
}
