# Runs in the managed PostgreSQL pod's init container, before the server starts, with PGDATA,
# POSTGRES_USER and POSTGRES_PASSWORD set. On a fresh volume it does nothing (the image's
# entrypoint runs initdb with the password). On an existing data directory it
#  1. refuses to start a PostgreSQL major version other than the one that wrote the data
#     (a new major cannot read it: the server would crash-loop with an obscure message);
#  2. sets the role's password to the one in the Secret (single-user mode, no network), so a data
#     directory that outlived its AgentServer accepts the password generated for the new one.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "prepare-data: no data directory yet at $PGDATA; initdb will create it"
    exit 0
fi
data_major=$(cat "$PGDATA/PG_VERSION")
image_major=$(postgres --version | sed -E 's/^[^0-9]*([0-9]+).*$/\1/')
if [ "$data_major" != "$image_major" ]; then
    echo "prepare-data: the data directory was written by PostgreSQL $data_major and this image is PostgreSQL $image_major;" \
        "a major upgrade needs pg_upgrade or dump and restore. Set spec.database.image back to a $data_major image." >&2
    exit 1
fi
password=$(printf '%s' "$POSTGRES_PASSWORD" | sed "s/'/''/g")
role=$(printf '%s' "$POSTGRES_USER" | sed 's/"/""/g')
printf 'ALTER ROLE "%s" WITH PASSWORD '"'"'%s'"'"';\n' "$role" "$password" \
    | postgres --single -D "$PGDATA" -c log_statement=none -c log_min_messages=warning postgres > /dev/null
echo "prepare-data: PostgreSQL $data_major data directory found; password of role $POSTGRES_USER set from the Secret"
