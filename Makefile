# qmslift - build, run and test. The two commands a newcomer needs:
#   make run    install missing packages, build, create the demo database, serve on 127.0.0.1:8080
#   make test   install what the tests need, build, run every test

.SUFFIXES:

CC       := $(if $(filter default,$(origin CC)),cc,$(CC))
PKGS     := libmicrohttpd sqlite3 libpq jansson libsodium inih cairo cairo-pdf pangocairo xlsxwriter libqrencode libcurl
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
               -Wstrict-prototypes -Wmissing-prototypes -fno-common
OPT      ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC_LIB  := $(filter-out src/main.c,$(wildcard src/*.c src/core/*.c src/store/*.c src/http/*.c src/api/*.c src/render/*.c))
MIGRATIONS := $(sort $(wildcard src/store/sql/*.sql))
GEN      := build/gen/migrations_sqlite.c build/gen/migrations_pg.c
UNIT_SRC := $(wildcard tests/unit/test_*.c)

OBJ      := $(SRC_LIB:%.c=build/obj/%.o) build/obj/gen/migrations_sqlite.o build/obj/gen/migrations_pg.o
ASAN_OBJ := $(SRC_LIB:%.c=build/asan/%.o) build/asan/gen/migrations_sqlite.o build/asan/gen/migrations_pg.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan-tests/%)

DB       ?= var/qmslift.db
LISTEN   ?= 127.0.0.1:8080
DEMO_TODAY ?= 2021-05-10

.PHONY: all build run deps test-deps test unit asan api-test api-test-pg api-test-asan e2e bench bench-pg bench-import bench-import-pg clean demo-db vendor bench-dashboard bench-dashboard-pg

all: build
build: build/qmslift

# ---- objects ----
build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/ASAN $<"
	@$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

# One set of migration files; the PostgreSQL dialect is rewritten from it (scripts/embed-sql.sh).
build/gen/migrations_sqlite.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	@sh scripts/embed-sql.sh sqlite migrations_sqlite $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

build/gen/migrations_pg.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	@sh scripts/embed-sql.sh pg migrations_pg $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -c $< -o $@

build/asan/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) $(PKG_CFLAGS) -c $< -o $@

build/qmslift: build/obj/src/main.o $(OBJ)
	@echo "  LINK    $@"
	@$(CC) $(OPT) -o $@ $^ $(PKG_LIBS)

build/asan-qmslift: build/asan/src/main.o $(ASAN_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS)

# ---- unit tests (cmocka) ----
build/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -Isrc -o $@ $< $(OBJ) $(PKG_LIBS) -lcmocka

build/asan-tests/%: tests/unit/%.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) $(PKG_CFLAGS) -Isrc -o $@ $< $(ASAN_OBJ) $(PKG_LIBS) -lcmocka

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

asan: $(ASAN_UNIT_BIN)
	@set -e; for t in $(ASAN_UNIT_BIN); do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $$t; done

# ---- API and browser tests (Node's test runner) ----
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser libraries served by qmslift itself (no CDN): Apache ECharts for the dashboard,
# copied from the npm package (`make run` and `make test` do it; `make build` needs no npm).
# Each with a gzip copy that the server sends to browsers accepting gzip (1 MB -> 0.34 MB).
vendor: web/vendor/echarts.min.js web/vendor/echarts.min.js.gz
web/vendor/echarts.min.js: node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	@cp node_modules/echarts/dist/echarts.min.js $@.tmp && mv $@.tmp $@
web/vendor/%.gz: web/vendor/%
	@gzip -9 -n -c $< > $@.tmp && mv $@.tmp $@

# The API and two-server suites on SQLite, then again on a throwaway PostgreSQL cluster.
api-test: build/qmslift vendor
	node --test --test-concurrency=2 tests/api/ tests/cluster/

# The same suites against a server built with ASan+UBSan (any error aborts the server).
api-test-asan: build/asan-qmslift vendor
	QMSLIFT_BIN=$(CURDIR)/build/asan-qmslift ASAN_OPTIONS=detect_leaks=0 \
	  node --test --test-concurrency=2 tests/api/ tests/cluster/

api-test-pg: build/qmslift vendor
	sh tests/pg/with-cluster.sh node --test --test-concurrency=2 tests/api/ tests/cluster/

e2e: build/qmslift node_modules/.package-lock.json vendor
	node --test --test-concurrency=1 tests/e2e/

# ---- the two commands ----
deps:
	@sh scripts/deps.sh run

test-deps:
	@sh scripts/deps.sh test

demo-db: build/qmslift
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then echo "创建演示数据库 $(DB) …"; ./build/qmslift demo --db $(DB) --today $(DEMO_TODAY); \
	else ./build/qmslift demo --db $(DB) --today $(DEMO_TODAY) >/dev/null; fi

run: deps
	@$(MAKE) --no-print-directory build vendor
	@$(MAKE) --no-print-directory demo-db
	@echo ""
	@echo "  小微企业质量管理体系认证提升行动服务平台"
	@echo "  打开 http://$(LISTEN)/   （演示模式 · 模拟日期 $(DEMO_TODAY)）"
	@echo "  演示账号（密码均为 qmslift-demo）："
	@echo "    city     市局管理员（上海市市场监督管理局）"
	@echo "    pudong   浦东新区市场监管局       huangpu  黄浦区市场监管局"
	@echo "    cb1      沪联质量认证中心（演示）  cb2      申诚认证有限公司（演示）"
	@echo "    ent1     上海浦江精密电子有限公司（演示）企业联系人"
	@echo "  按 Ctrl-C 停止。"
	@echo ""
	@exec ./build/qmslift serve --db $(DB) --listen $(LISTEN) --today $(DEMO_TODAY)

test: test-deps
	@$(MAKE) --no-print-directory build vendor
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory api-test
	@$(MAKE) --no-print-directory api-test-pg
	@$(MAKE) --no-print-directory api-test-asan
	@$(MAKE) --no-print-directory e2e
	@echo "all tests passed"

bench: build/qmslift
	bash bench/run.sh

bench-pg: build/qmslift
	sh tests/pg/with-cluster.sh bash bench/run.sh

bench-import: build/qmslift
	bash bench/import.sh

bench-import-pg: build/qmslift
	sh tests/pg/with-cluster.sh bash bench/import.sh

# The dashboard's statistics on 100,000 enterprises and 2,000,000 answers (slow: not in `make test`).
bench-dashboard: build/qmslift
	bash bench/dashboard.sh

bench-dashboard-pg: build/qmslift
	sh tests/pg/with-cluster.sh bash bench/dashboard.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
