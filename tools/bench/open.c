// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of finding an object by name, with few and with many objects
 * named: "open" opens an existing name (IPCCHAN_IOC_CHAN_OPEN or
 * IPCCHAN_IOC_REGION_OPEN, without CREATE) and closes the new fd, "lookup"
 * asks for a name that does not exist (ENOENT): the name table alone.
 * Each is the mean over @reps calls, spread over the objects.
 *
 * Regions are capped by the module's max_regions (4096 by default): when
 * more are wanted, the parameter is raised for the measurement, through
 * /sys/module/ipcchan/parameters, and put back afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ipcchan.h>

#include "bench.h"

#define MAX_REGIONS_PARAM	"/sys/module/ipcchan/parameters/max_regions"

static long read_param(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int write_param(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%ld\n", v) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static int open_obj(int devfd, bool region, const char *name, bool create)
{
	if (region)
		return ipcchan_region_open(devfd, name, IPCCHAN_REGION_READ |
					   (create ? IPCCHAN_OPEN_CREATE |
					    IPCCHAN_OPEN_EXCL |
					    IPCCHAN_REGION_WRITE : 0),
					   create ? 0600 : 0,
					   create ? 4096 : 0);
	return ipcchan_chan_open(devfd, name, IPCCHAN_OPEN_RECV |
				 (create ? IPCCHAN_OPEN_CREATE |
				  IPCCHAN_OPEN_EXCL : 0), NULL);
}

int bench_open(const char *kind, unsigned int objects, unsigned int reps,
	       struct open_result *r)
{
	bool region = !strcmp(kind, "region");
	char (*names)[IPCCHAN_NAME_MAX], (*missing)[IPCCHAN_NAME_MAX];
	unsigned int i, made = 0, k;
	long old_max = -1;
	int64_t t0;
	int devfd, fd, ret = 0;

	devfd = ipcchan_dev_open();
	if (devfd < 0)
		return devfd;
	if (region) {
		old_max = read_param(MAX_REGIONS_PARAM);
		if (old_max >= 0 && old_max < objects + 64)
			write_param(MAX_REGIONS_PARAM, objects + 64);
		else
			old_max = -1;
	}
	names = xcalloc(objects, sizeof(*names));
	missing = xcalloc(objects, sizeof(*missing));
	for (i = 0; i < objects; i++) {
		snprintf(names[i], sizeof(names[i]), "bench-open-%d-%u",
			 getpid(), i);
		snprintf(missing[i], sizeof(missing[i]), "bench-none-%d-%u",
			 getpid(), i);
	}
	for (made = 0; made < objects; made++) {
		fd = open_obj(devfd, region, names[made], true);
		if (fd < 0) {
			ret = fd;
			note("creating %s %u of %u: %s", kind, made + 1,
			     objects, strerror(-ret));
			goto out;
		}
		close(fd);
	}

	*r = (struct open_result){ .kind = kind, .objects = objects };
	/* A stride coprime with the count visits every object in turn. */
	t0 = now_ns();
	for (i = 0, k = 0; i < reps; i++, k = (k + 7919) % objects) {
		fd = open_obj(devfd, region, names[k], false);
		if (fd < 0) {
			ret = fd;
			goto out;
		}
		close(fd);
	}
	r->open_ns = (double)(now_ns() - t0) / reps;
	t0 = now_ns();
	for (i = 0, k = 0; i < reps; i++, k = (k + 7919) % objects) {
		fd = open_obj(devfd, region, missing[k], false);
		if (fd != -ENOENT) {
			ret = fd < 0 ? fd : -EEXIST;
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	r->lookup_ns = (double)(now_ns() - t0) / reps;
	if (opts.verbose)
		note("%s with %u named: open %.0f ns, lookup %.0f ns", kind,
		     objects, r->open_ns, r->lookup_ns);
out:
	for (i = 0; i < made; i++) {
		if (region)
			ipcchan_region_unlink(devfd, names[i]);
		else
			ipcchan_chan_unlink(devfd, names[i]);
	}
	if (old_max >= 0)
		write_param(MAX_REGIONS_PARAM, old_max);
	free(names);
	free(missing);
	close(devfd);
	return ret;
}
