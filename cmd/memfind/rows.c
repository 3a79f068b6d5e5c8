/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: the rows of the three views: per object, per process, and
 * Shmem beside what was found (-s). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "memfind.h"

static void sysv_cells(struct pd_row *row, const struct pd_memobj *o,
		       struct pd_users *users)
{
	const struct pd_sysvshm *s = &o->sysv;
	const char *owner;
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%08x", (unsigned)s->key);
	pd_row_set_str(row, OCOL_KEY, buf);
	pd_row_set_u64(row, OCOL_SHMID, (uint64_t)s->shmid);
	owner = pd_users_name(users, s->uid);
	if (owner)
		pd_row_set_str(row, OCOL_OWNER, owner);
	snprintf(buf, sizeof(buf), "%o", s->perms & 0777);
	pd_row_set_str(row, OCOL_PERMS, buf);
	pd_row_set_u64(row, OCOL_NATTCH, s->nattch);
	pd_row_set_u64(row, OCOL_CPID, (uint64_t)s->cpid);
	pd_row_set_u64(row, OCOL_LPID, (uint64_t)s->lpid);
}

void memfind_obj_rows(struct opts *o, struct pd_memscan *ms,
		      struct pd_names *names, struct pd_report *rep,
		      struct pd_users *users)
{
	struct pd_strbuf pids = { 0 }, comms = { 0 }, usrs = { 0 }, fds = { 0 },
		      uids = { 0 }, ctrs = { 0 }, pods = { 0 };
	uint64_t alloc = 0, size = 0, pss = 0;
	size_t i, j, n = 0;
	struct pd_row *row;
	char buf[256];

	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);

		if (!ob->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pids.len = comms.len = usrs.len = fds.len = uids.len = 0;
		ctrs.len = pods.len = 0;
		if (pids.s)
			pids.s[0] = comms.s[0] = usrs.s[0] = fds.s[0] =
				uids.s[0] = '\0';
		for (j = 0; j < ob->nholders; j++) {
			const struct pd_holder *h = &ob->holders[j];
			const struct pd_memproc *p = pd_memscan_proc(ms, h->proc);

			snprintf(buf, sizeof(buf), "%d", (int)p->proc.pid);
			pd_strbuf_add(&pids, ",", buf);
			pd_strbuf_add(&comms, ",", p->proc.comm);
			pd_strbuf_add(&usrs, ",", p->user ? p->user : "?");
			snprintf(buf, sizeof(buf), "%u", (unsigned)p->proc.status.uid);
			pd_strbuf_add(&uids, ",", buf);
			pd_holder_format(h, buf, sizeof(buf));
			pd_strbuf_add(&fds, ";", buf);
			if (names) {
				struct pd_cgname nm;

				pd_names_lookup(names, p->proc.cgroup, false, &nm);
				pd_names_list_add(&ctrs, &pods, &nm);
			}
		}
		if (ctrs.len)
			pd_row_set_str(row, OCOL_CONTAINERS, ctrs.s);
		if (pods.len)
			pd_row_set_str(row, OCOL_PODS, pods.s);
		pd_row_set_str(row, OCOL_KIND, pd_memkind_name(ob->kind));
		if (ob->sized) {
			pd_row_set_u64(row, OCOL_SIZE, ob->size);
			size += ob->size;
		}
		if (ob->has_alloc) {
			pd_row_set_u64(row, OCOL_ALLOC, ob->alloc);
			alloc += ob->alloc;
		}
		if (ob->mapped) {
			pd_row_set_u64(row, OCOL_RSS, ob->rss);
			pd_row_set_u64(row, OCOL_SWAP, ob->swap);
		}
		if (ob->mapped && (ob->nholders || !ob->has_sysv)) {
			pd_row_set_u64(row, OCOL_PSS, ob->pss);
			pss += ob->pss;
		}
		pd_row_set_u64(row, OCOL_HOLDERS, ob->nholders);
		pd_row_set_str(row, OCOL_PIDS, ob->nholders ? pids.s : "");
		pd_row_set_str(row, OCOL_COMMANDS, ob->nholders ? comms.s : "");
		pd_row_set_str(row, OCOL_USERS, ob->nholders ? usrs.s : "");
		pd_row_set_str(row, OCOL_UIDS, ob->nholders ? uids.s : "");
		pd_row_set_str(row, OCOL_FD, ob->nholders ? fds.s : "");
		if (ob->has_seals) {
			pd_memseals_format(ob->seals, buf, sizeof(buf));
			pd_row_set_str(row, OCOL_SEALS, buf);
		}
		pd_memflags_format(ob->flags, buf, sizeof(buf));
		pd_row_set_str(row, OCOL_FLAGS, buf);
		pd_row_set_strn(row, OCOL_PATH, ob->path, ob->path_len);
		if (ob->mount)
			pd_row_set_str(row, OCOL_MOUNT, ob->mount);
		if (ob->dev || ob->kind != PD_MEM_SYSV)
			pd_row_set_dev(row, OCOL_DEV, ob->dev);
		pd_row_set_u64(row, OCOL_INODE, (uint64_t)ob->ino);
		if (ob->has_sysv)
			sysv_cells(row, ob, users);
		if (ob->exporter)
			pd_row_set_str(row, OCOL_EXPORTER, ob->exporter);
		n++;
	}
	if (n) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, OCOL_SIZE, size);
		pd_row_set_u64(row, OCOL_ALLOC, alloc);
		pd_row_set_u64(row, OCOL_PSS, pss);
		snprintf(buf, sizeof(buf), "%s%zu object%s",
			 pd_report_first_column(rep) == OCOL_PATH ? "total: " : "",
			 n, n == 1 ? "" : "s");
		pd_row_set_str(row, OCOL_PATH, buf);
	}
	free(pids.s);
	free(comms.s);
	free(usrs.s);
	free(uids.s);
	free(fds.s);
	free(ctrs.s);
	free(pods.s);
}

void memfind_proc_rows(struct opts *o, struct pd_memscan *ms,
		       struct pd_names *names, struct pd_report *rep)
{
	uint64_t pss = 0;
	size_t i, n = 0;
	struct pd_row *row;

	for (i = 0; i < pd_memscan_nprocs(ms); i++) {
		const struct pd_memproc *p = pd_memscan_proc(ms, i);

		if (!p->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pd_row_set_u64(row, PCOL_PID, (uint64_t)p->proc.pid);
		pd_row_set_u64(row, PCOL_PPID, (uint64_t)p->proc.ppid);
		pd_row_set_str(row, PCOL_COMMAND, p->proc.comm);
		if (p->user)
			pd_row_set_str(row, PCOL_USER, p->user);
		pd_row_set_u64(row, PCOL_UID, (uint64_t)p->proc.status.uid);
		pd_row_set_u64(row, PCOL_OBJECTS, p->objects);
		pd_row_set_u64(row, PCOL_FDS, p->fds);
		pd_row_set_u64(row, PCOL_ALLOC, p->alloc);
		pd_row_set_u64(row, PCOL_PSS, p->pss);
		pd_row_set_u64(row, PCOL_SWAP, p->swap);
		pd_row_set_str(row, PCOL_FLAGS, p->fileless ? "fileless" : "");
		if (p->proc.cmdline)
			pd_row_set_str(row, PCOL_CMDLINE, p->proc.cmdline);
		if (names) {
			struct pd_cgname nm;

			pd_names_lookup(names, p->proc.cgroup, false, &nm);
			pd_names_set(&o->c, row, PCOL_CONTAINER, PCOL_POD, &nm);
		}
		pss += p->pss;
		n++;
	}
	if (n) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, PCOL_PSS, pss);
	}
}

static void sum_row(struct opts *o, struct pd_report *rep, const char *part,
		    bool known, int64_t bytes, long count, int in_shmem,
		    const char *note)
{
	struct pd_row *row;

	pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
	pd_row_set_str(row, SCOL_PART, part);
	if (known)
		pd_row_set_s64(row, SCOL_BYTES, bytes);
	if (count >= 0)
		pd_row_set_u64(row, SCOL_COUNT, (uint64_t)count);
	if (in_shmem >= 0)
		pd_row_set_bool(row, SCOL_IN_SHMEM, in_shmem);
	pd_row_set_str(row, SCOL_NOTE, note);
}

void memfind_summary_rows(struct opts *o, struct pd_memscan *ms,
			  struct pd_report *rep)
{
	size_t counts[PD_MEM_NKINDS] = { 0 }, i;
	struct pd_memsummary s;
	char note[256];

	pd_memscan_summary(ms, &s);
	for (i = 0; i < pd_memscan_nobjs(ms); i++)
		counts[pd_memscan_obj(ms, i)->kind]++;
	sum_row(o, rep, "Shmem", s.has_shmem, (int64_t)s.shmem, -1, -1,
		"/proc/meminfo Shmem: resident shmem pages (NR_SHMEM)");
	snprintf(note, sizeof(note), "used bytes of every tmpfs and devtmpfs superblock, once each%s",
		 s.tmpfs_unknown ? "; some without a count: their files' sum" : "");
	sum_row(o, rep, "tmpfs", true, (int64_t)s.tmpfs, s.tmpfs_sbs, 1, note);
	sum_row(o, rep, "deleted-tmpfs", true, (int64_t)s.deleted_tmpfs,
		(long)counts[PD_MEM_DELETED_TMPFS], 0,
		"unlinked tmpfs files still held: inside the tmpfs line already");
	sum_row(o, rep, "memfd", true, (int64_t)s.memfd,
		(long)counts[PD_MEM_MEMFD], 1, "memfd allocated bytes");
	sum_row(o, rep, "sysv", true, (int64_t)s.sysv_rss,
		(long)counts[PD_MEM_SYSV], 1,
		"SysV resident bytes (/proc/sysvipc/shm rss)");
	sum_row(o, rep, "sysv-swap", true, (int64_t)s.sysv_swap,
		(long)counts[PD_MEM_SYSV], 0,
		"SysV swapped bytes: swapped pages leave Shmem");
	sum_row(o, rep, "shared-anon", true, (int64_t)s.shared_anon,
		(long)counts[PD_MEM_SHARED_ANON], 1,
		"MAP_SHARED|MAP_ANONYMOUS allocated bytes");
	sum_row(o, rep, "explained", true, (int64_t)s.explained, -1, -1,
		"tmpfs + memfd + sysv + shared-anon");
	sum_row(o, rep, "remainder", s.has_shmem, s.remainder, -1, -1,
		"Shmem - explained: DRM/GPU buffers (GEM), fds in flight in "
		"unix sockets, objects of processes or namespaces not visible");
	sum_row(o, rep, "hugetlb", true, (int64_t)s.hugetlb,
		(long)counts[PD_MEM_HUGETLB], 0,
		"hugetlb memfds: in Hugetlb, not in Shmem");
	sum_row(o, rep, "secretmem", true, (int64_t)s.secretmem,
		(long)counts[PD_MEM_SECRETMEM], 0,
		"memfd_secret resident bytes mapped: in Mlocked, not in Shmem");
	sum_row(o, rep, "dmabuf", true, (int64_t)s.dmabuf,
		(long)counts[PD_MEM_DMABUF], 0,
		"dma-buf sizes: exporter memory, not in Shmem (unless shmem-backed)");
	if (s.unsized)
		pd_warn(&o->c, "%u objects have no known size (map_files/ needs CAP_SYS_ADMIN); the explained part is short of them",
			s.unsized);
}
