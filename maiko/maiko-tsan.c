/* maiko-tsan.c
 *
 * SPDX-License-Identifier: MIT
 */

/*
 * Tells ThreadSanitizer what our calls to GLib's locks, reference counts,
 * sources and frees do. Built only into a -Db_sanitize=thread build (see
 * maiko/meson.build and docs/checking.md); never part of a normal build.
 *
 * GLib 2.74 implements GMutex and GCond on Linux with futexes and atomics in
 * libglib itself, which is not instrumented, and g_atomic_ref_count_dec() is
 * an uninstrumented function too. TSan therefore sees no happens-before edge
 * between an unlock and the next lock, and reports every access to state
 * that is correctly guarded by a GMutex as a race.
 *
 * Rather than suppressing those reports (which would hide real races in the
 * same code), the library and the C tests are linked with
 * -Wl,--wrap=g_mutex_lock and friends: the linker sends each of their calls
 * to __wrap_g_mutex_lock() below, which calls the real function
 * (__real_g_mutex_lock) between the TSan mutex annotations. The annotations
 * are what pthread_mutex_lock() gets from TSan's interceptors, so a field
 * touched without its lock, or under the wrong one, is still reported, and
 * TSan's lock-order checks apply to our mutexes. No source file has to
 * remember to call a wrapper.
 *
 * The same goes for a GSource: g_source_attach() publishes it to the
 * context's thread under GMainContext's own lock, so whatever the attaching
 * thread wrote before (the actor's state, the source's fields) would look
 * unordered with the source's callbacks on the context's thread. Sources
 * created with g_source_new() from wrapped code get callbacks that acquire
 * what g_source_attach() and g_source_unref() released.
 *
 * Only calls from code linked with --wrap are annotated: GLib's internal
 * uses of its own locks (GMainContext, GAsyncQueue, GThreadPool, ...) are
 * bound inside libglib and stay invisible. How the remaining GLib-caused
 * reports are handled is in tests/tsan.supp.
 */

#include "config.h"

#include <glib-object.h>
#include <pthread.h>
#include <sanitizer/tsan_interface.h>

/* Exported by the TSan runtime; GCC ships no header for them (the size
 * argument is a long, as GCC's own built-in declares it). */
void   __tsan_write_range             (void       *addr,
                                       long        size);
size_t __sanitizer_get_allocated_size (const void *p);

/* Not in any header: the linker defines them for each --wrap symbol. */
void     __real_g_object_unref       (gpointer        object);
void     __real_g_mutex_lock         (GMutex         *mutex);
void     __real_g_mutex_unlock       (GMutex         *mutex);
gboolean __real_g_mutex_trylock      (GMutex         *mutex);
void     __real_g_mutex_clear        (GMutex         *mutex);
void     __real_g_cond_wait          (GCond          *cond,
                                      GMutex         *mutex);
gboolean __real_g_cond_wait_until    (GCond          *cond,
                                      GMutex         *mutex,
                                      gint64          end_time);
gboolean __real_g_atomic_ref_count_dec (gatomicrefcount *arc);
void     __real_g_free               (gpointer        mem);
void     __real_g_slice_free1        (gsize           block_size,
                                      gpointer        mem_block);
GSource *__real_g_source_new         (GSourceFuncs   *source_funcs,
                                      guint           struct_size);
guint    __real_g_source_attach      (GSource        *source,
                                      GMainContext   *context);
void     __real_g_source_unref       (GSource        *source);

void     __wrap_g_mutex_lock         (GMutex         *mutex);
void     __wrap_g_mutex_unlock       (GMutex         *mutex);
gboolean __wrap_g_mutex_trylock      (GMutex         *mutex);
void     __wrap_g_mutex_clear        (GMutex         *mutex);
void     __wrap_g_cond_wait          (GCond          *cond,
                                      GMutex         *mutex);
gboolean __wrap_g_cond_wait_until    (GCond          *cond,
                                      GMutex         *mutex,
                                      gint64          end_time);
gboolean __wrap_g_atomic_ref_count_dec (gatomicrefcount *arc);
void     __wrap_g_free               (gpointer        mem);
void     __wrap_g_slice_free1        (gsize           block_size,
                                      gpointer        mem_block);
GSource *__wrap_g_source_new         (GSourceFuncs   *source_funcs,
                                      guint           struct_size);
guint    __wrap_g_source_attach      (GSource        *source,
                                      GMainContext   *context);
void     __wrap_g_source_unref       (GSource        *source);

/* TSan starts a thread of its own at the first pthread_create() of the
 * process. Have it start while the program loads, so that a test counting
 * the process's threads (test_count_threads(), to check that none is left
 * behind) does not see it appear in the middle. */
static void *
do_nothing (void *data)
{
  return NULL;
}

__attribute__((constructor)) static void
start_tsan_thread (void)
{
  pthread_t thread;

  if (pthread_create (&thread, NULL, do_nothing, NULL) == 0)
    pthread_join (thread, NULL);
}

void
__wrap_g_mutex_lock (GMutex *mutex)
{
  __tsan_mutex_pre_lock (mutex, 0);
  __real_g_mutex_lock (mutex);
  __tsan_mutex_post_lock (mutex, 0, 0);
}

void
__wrap_g_mutex_unlock (GMutex *mutex)
{
  __tsan_mutex_pre_unlock (mutex, 0);
  __real_g_mutex_unlock (mutex);
  __tsan_mutex_post_unlock (mutex, 0);
}

gboolean
__wrap_g_mutex_trylock (GMutex *mutex)
{
  gboolean locked;

  __tsan_mutex_pre_lock (mutex, __tsan_mutex_try_lock);
  locked = __real_g_mutex_trylock (mutex);
  __tsan_mutex_post_lock (mutex,
                          __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
                          0);
  return locked;
}

void
__wrap_g_mutex_clear (GMutex *mutex)
{
  __real_g_mutex_clear (mutex);
  __tsan_mutex_destroy (mutex, 0);
}

/* A wait releases the mutex and takes it again before it returns: tell TSan
 * so, around the real wait. Between the two, TSan sees the mutex free,
 * which it really is. */
static inline void
release_for_wait (GMutex *mutex)
{
  __tsan_mutex_pre_unlock (mutex, 0);
  __tsan_mutex_post_unlock (mutex, 0);
}

static inline void
reacquire_after_wait (GMutex *mutex)
{
  __tsan_mutex_pre_lock (mutex, 0);
  __tsan_mutex_post_lock (mutex, 0, 0);
}

void
__wrap_g_cond_wait (GCond  *cond,
                    GMutex *mutex)
{
  release_for_wait (mutex);
  __real_g_cond_wait (cond, mutex);
  reacquire_after_wait (mutex);
}

gboolean
__wrap_g_cond_wait_until (GCond  *cond,
                          GMutex *mutex,
                          gint64  end_time)
{
  gboolean signalled;

  release_for_wait (mutex);
  signalled = __real_g_cond_wait_until (cond, mutex, end_time);
  reacquire_after_wait (mutex);
  return signalled;
}

/* The usual annotation of a reference count: every decrement releases, and
 * the one that reaches zero acquires, so the free that follows is ordered
 * after every other owner's last access. */
gboolean
__wrap_g_atomic_ref_count_dec (gatomicrefcount *arc)
{
  gboolean last;

  __tsan_release (arc);
  last = __real_g_atomic_ref_count_dec (arc);
  if (last)
    __tsan_acquire (arc);
  return last;
}

/* The same for a GObject, whose count lives in libgobject: an actor that
 * was removed or restarted is released by whichever of its thread and the
 * supervisor lets go last, and finalized there. Every unref releases; the
 * one that finds itself the last owner acquires before it finalizes. */
void
__wrap_g_object_unref (gpointer object)
{
  __tsan_release (object);
  if (g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1)
    __tsan_acquire (object);
  __real_g_object_unref (object);
}

/* TSan checks a free() against earlier unordered accesses as if it wrote
 * the block, but not when libglib calls free(): with
 * ignore_noninstrumented_modules=1 (see tests/tsan.supp) TSan ignores what
 * uninstrumented libraries do with memory, and every free() of ours goes
 * through g_free(). Write the block here, from our side of the call, so a
 * free racing with a use in another thread is still reported. */
void
__wrap_g_free (gpointer mem)
{
  if (mem != NULL)
    __tsan_write_range (mem, (long) __sanitizer_get_allocated_size (mem));
  __real_g_free (mem);
}

void
__wrap_g_slice_free1 (gsize    block_size,
                      gpointer mem_block)
{
  if (mem_block != NULL)
    __tsan_write_range (mem_block, (long) block_size);
  __real_g_slice_free1 (block_size, mem_block);
}

/* A copy of a source's GSourceFuncs whose callbacks acquire the source
 * first, then call the original ones. One per original table, kept for the
 * life of the process (there are a handful). */
typedef struct
{
  GSourceFuncs        funcs;  /* first: source->source_funcs points here */
  const GSourceFuncs *orig;
} AnnotatedFuncs;

static inline const GSourceFuncs *
orig_funcs (GSource *source)
{
  __tsan_acquire (source);
  return ((const AnnotatedFuncs *) source->source_funcs)->orig;
}

static gboolean
annotated_prepare (GSource *source,
                   gint    *timeout)
{
  return orig_funcs (source)->prepare (source, timeout);
}

static gboolean
annotated_check (GSource *source)
{
  return orig_funcs (source)->check (source);
}

static gboolean
annotated_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  return orig_funcs (source)->dispatch (source, callback, user_data);
}

static void
annotated_finalize (GSource *source)
{
  orig_funcs (source)->finalize (source);
}

static GSourceFuncs *
annotate_funcs (GSourceFuncs *orig)
{
  static GMutex lock;
  static GHashTable *annotated;  /* orig → AnnotatedFuncs */
  AnnotatedFuncs *copy;

  __wrap_g_mutex_lock (&lock);
  if (annotated == NULL)
    annotated = g_hash_table_new (NULL, NULL);
  copy = g_hash_table_lookup (annotated, orig);
  if (copy == NULL)
    {
      copy = g_new0 (AnnotatedFuncs, 1);
      copy->funcs = *orig;
      copy->orig = orig;
      /* A NULL prepare or check means something to GLib: keep it NULL. */
      if (orig->prepare != NULL)
        copy->funcs.prepare = annotated_prepare;
      if (orig->check != NULL)
        copy->funcs.check = annotated_check;
      if (orig->dispatch != NULL)
        copy->funcs.dispatch = annotated_dispatch;
      if (orig->finalize != NULL)
        copy->funcs.finalize = annotated_finalize;
      g_hash_table_insert (annotated, orig, copy);
    }
  __wrap_g_mutex_unlock (&lock);

  return &copy->funcs;
}

GSource *
__wrap_g_source_new (GSourceFuncs *source_funcs,
                     guint         struct_size)
{
  return __real_g_source_new (annotate_funcs (source_funcs), struct_size);
}

guint
__wrap_g_source_attach (GSource      *source,
                        GMainContext *context)
{
  __tsan_release (source);
  return __real_g_source_attach (source, context);
}

void
__wrap_g_source_unref (GSource *source)
{
  __tsan_release (source);
  __real_g_source_unref (source);
}
