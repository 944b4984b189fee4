/* file-server.c: a static file server that Landlock confines to its files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   file-server [--port PORT] [DIRECTORY]
 *
 * Serves DIRECTORY (default: the current directory) over HTTP on
 * 127.0.0.1:PORT (default 0: the kernel picks a port; the URL printed says
 * which). Before it opens its socket, the process restricts itself to
 * reading DIRECTORY and binding PORT: no other file, no writes, no
 * outgoing TCP connection, no signal to another process, as far as the
 * running kernel can restrict these (TCP needs Landlock ABI 4, signals
 * ABI 6; the server says what its kernel leaves open). A bug in the
 * request handling, or a symlink in the tree that points to /etc, gives an
 * attacker no more than that: the kernel refuses to open /etc/passwd
 * through DIRECTORY/etc-link/passwd although the path looks like it lies
 * in the tree. Before serving, the server tries what an attacker who took
 * it over would try first, and prints the kernel's answers.
 *
 * Plain GIO is enough here: answering GET for static files takes one
 * request line and one response, which a GSocketService and a
 * GDataInputStream handle in a few lines. libsoup would bring keep-alive,
 * HTTP/2 and TLS, which a loopback server of small files does not need,
 * and a larger body of code running inside the sandbox, each part of
 * which may want files or threads that the ruleset would have to allow.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <gio/gio.h>
#include <landlock-glib/landlock-glib.h>

/* A request is one line and its headers; anything longer is not a GET
 * for a static file. */
#define MAX_HEADER_LINES 64
/* The whole file is read into memory: this server is for small trees. */
#define MAX_FILE_SIZE    (16 * 1024 * 1024)

#define PROBE_NAME ".file-server-probe"

typedef struct
{
  char *root;                   /* canonical, symlinks resolved */
} Server;

typedef struct
{
  Server *server;
  GSocketConnection *connection;
  GDataInputStream *input;
  char *request_line;
  guint n_header_lines;
  GBytes *response;
} Request;

typedef struct
{
  guint status;
  const char *reason;
  char *log;                    /* why, for the server's log */
  GBytes *body;
  const char *content_type;
} Response;

static const char *
errno_name (int errsv)
{
  switch (errsv)
    {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case ECONNREFUSED: return "ECONNREFUSED";
    default: return "errno";
    }
}

static char *
describe_errno (int errsv)
{
  return g_strdup_printf ("%s (%s)", errno_name (errsv), g_strerror (errsv));
}

static void
request_free (Request *request)
{
  g_clear_object (&request->input);
  g_clear_object (&request->connection);
  g_clear_pointer (&request->request_line, g_free);
  g_clear_pointer (&request->response, g_bytes_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static const char *
content_type_for (const char *path)
{
  /* A table rather than g_content_type_guess(): that reads the
   * shared-mime-info database beneath /usr/share, which the sandbox does
   * not allow, and a handful of types is all a small site needs. */
  static const struct { const char *suffix; const char *type; } types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".txt", "text/plain; charset=utf-8" },
    { ".css", "text/css" },
    { ".js", "text/javascript" },
    { ".json", "application/json" },
    { ".png", "image/png" },
    { ".svg", "image/svg+xml" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_str_has_suffix (path, types[i].suffix))
        return types[i].type;
    }
  return "application/octet-stream";
}

static void
set_error (Response   *response,
           guint       status,
           const char *reason,
           char       *log)
{
  char *body;

  response->status = status;
  response->reason = reason;
  response->log = log;
  body = g_strdup_printf ("%u %s\n", status, reason);
  response->body = g_bytes_new_take (body, strlen (body));
  response->content_type = "text/plain; charset=utf-8";
}

/* Reads @path into @response. open(2) itself, for the kernel's errno:
 * that is where the sandbox answers. O_NONBLOCK so that a FIFO in the
 * tree cannot stall this single-threaded server. */
static void
read_file (Response   *response,
           const char *path)
{
  g_autoptr(GByteArray) contents = NULL;
  struct stat file_stat;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      int errsv = errno;
      g_autofree char *why = describe_errno (errsv);

      if (errsv == EACCES || errsv == EPERM)
        set_error (response, 403, "Forbidden", g_strdup_printf ("open: %s", why));
      else
        set_error (response, 404, "Not Found", g_strdup_printf ("open: %s", why));
      return;
    }

  if (fstat (fd, &file_stat) < 0 || !S_ISREG (file_stat.st_mode) ||
      file_stat.st_size > MAX_FILE_SIZE)
    {
      set_error (response, 404, "Not Found", g_strdup ("not a regular file of a servable size"));
      close (fd);
      return;
    }

  contents = g_byte_array_sized_new (file_stat.st_size);
  for (;;)
    {
      guint8 buffer[64 * 1024];
      ssize_t n_read = read (fd, buffer, sizeof buffer);

      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read < 0)
        {
          g_autofree char *why = describe_errno (errno);

          set_error (response, 500, "Internal Server Error", g_strdup_printf ("read: %s", why));
          close (fd);
          return;
        }
      if (n_read == 0)
        break;
      g_byte_array_append (contents, buffer, n_read);
    }
  close (fd);

  response->status = 200;
  response->reason = "OK";
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&contents));
  response->content_type = content_type_for (path);
}

static void
answer_get (Server     *server,
            const char *target,
            Response   *response)
{
  g_autofree char *unescaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *root_prefix = NULL;

  /* The query and fragment name no file. */
  unescaped = g_uri_unescape_segment (target, target + strcspn (target, "?#"), NULL);
  if (unescaped == NULL || unescaped[0] != '/')
    {
      set_error (response, 400, "Bad Request", g_strdup ("not an absolute path"));
      return;
    }

  /* A lexical check keeps ".." in the URL from leaving the tree. What it
   * cannot see is a symlink in the tree that points out of it: that is
   * the sandbox's part, which no path check of ours can get wrong. */
  path = g_canonicalize_filename (unescaped + 1, server->root);
  root_prefix = g_strconcat (server->root, "/", NULL);
  if (g_strcmp0 (path, server->root) != 0 && !g_str_has_prefix (path, root_prefix))
    {
      set_error (response, 403, "Forbidden", g_strdup ("outside the served directory"));
      return;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      char *index_path = g_build_filename (path, "index.html", NULL);

      g_free (path);
      path = index_path;
    }

  read_file (response, path);
}

static GBytes *
build_response (Server     *server,
                const char *request_line)
{
  g_auto(GStrv) parts = g_strsplit (request_line, " ", 0);
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *printable_line = g_strescape (request_line, NULL);
  Response response = { 0 };
  gconstpointer body;
  gsize body_size;

  if (g_strv_length (parts) != 3 || !g_str_has_prefix (parts[2], "HTTP/1."))
    set_error (&response, 400, "Bad Request", g_strdup ("not an HTTP/1 request line"));
  else if (g_strcmp0 (parts[0], "GET") != 0)
    set_error (&response, 405, "Method Not Allowed", g_strdup ("only GET is served"));
  else
    answer_get (server, parts[1], &response);

  body = g_bytes_get_data (response.body, &body_size);
  g_print ("\"%s\" %u %s%s%s\n", printable_line, response.status, response.reason,
           response.log != NULL ? ": " : "", response.log != NULL ? response.log : "");

  /* HTTP/1.0 with Connection: close: one request per connection, so the
   * end of the response is the end of the connection. */
  g_string_append_printf (message,
                          "HTTP/1.0 %u %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          response.status, response.reason,
                          response.content_type, body_size);
  g_string_append_len (message, body, body_size);

  g_bytes_unref (response.body);
  g_free (response.log);

  return g_string_free_to_bytes (g_steal_pointer (&message));
}

static void
on_response_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_print ("Could not send the response: %s\n", error->message);

  g_io_stream_close (G_IO_STREAM (request->connection), NULL, NULL);
}

static void read_next_line (Request *request);

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GOutputStream *output;
  gconstpointer data;
  gsize size;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                    result, NULL, &error);
  if (line == NULL)
    {
      /* The client went away, or sent something that is not text. */
      if (error != NULL)
        g_print ("Dropped a connection: %s\n", error->message);
      return;
    }

  if (request->request_line == NULL)
    request->request_line = g_steal_pointer (&line);
  else if (line[0] == '\0' || ++request->n_header_lines >= MAX_HEADER_LINES)
    {
      /* The empty line ends the headers (this server needs none of
       * them). Answering only then, rather than after the request line,
       * means closing the connection leaves no unread data, which would
       * make the kernel reset the connection under the response. */
      request->response = build_response (request->server, request->request_line);
      data = g_bytes_get_data (request->response, &size);
      output = g_io_stream_get_output_stream (G_IO_STREAM (request->connection));
      g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, NULL,
                                       on_response_written, g_steal_pointer (&request));
      return;
    }

  read_next_line (g_steal_pointer (&request));
}

static void
read_next_line (Request *request)
{
  g_data_input_stream_read_line_async (request->input, G_PRIORITY_DEFAULT, NULL,
                                       on_line_read, request);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Request *request = g_new0 (Request, 1);

  request->server = user_data;
  request->connection = g_object_ref (connection);
  request->input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (request->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_next_line (request);

  return TRUE;
}

/* What an attacker who took over the server would try first; each must
 * fail with EACCES, the kernel's answer for a Landlock denial. */
static void
report (const char *what,
        int         errsv)
{
  g_autofree char *why = describe_errno (errsv);

  if (errsv == 0)
    g_print ("  NOT denied: %s: succeeded\n", what);
  else
    g_print ("  %s: %s: %s\n", errsv == EACCES ? "denied" : "failed", what, why);
}

static int
try_open (const char *path,
          int         flags)
{
  int fd = open (path, flags | O_CLOEXEC, 0600);

  if (fd < 0)
    return errno;
  close (fd);
  if (flags & O_CREAT)
    unlink (path);
  return 0;
}

static int
try_connect (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int errsv = 0;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno;
  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    errsv = errno;
  close (fd);
  return errsv;
}

static void
show_sandbox (Server    *server,
              LlRuleset *ruleset,
              guint16    port)
{
  g_autofree char *probe = g_build_filename (server->root, PROBE_NAME, NULL);
  g_autofree char *create = g_strdup_printf ("create %s", probe);
  g_autofree char *connect_to = g_strdup_printf ("TCP connect to 127.0.0.1:%u", port);

  g_print ("What the sandbox denies (what an attacker would try first):\n");
  report ("read /etc/passwd", try_open ("/etc/passwd", O_RDONLY));
  /* O_EXCL: never truncate a file that might be there. */
  report (create, try_open (probe, O_WRONLY | O_CREAT | O_EXCL));
  /* The server's own port: it listens, so only Landlock can refuse, where
   * the kernel can restrict TCP at all. */
  if (ll_ruleset_get_unrestricted_access_net (ruleset) & LL_ACCESS_NET_CONNECT_TCP)
    g_print ("  not restricted by this kernel: %s: %s\n", connect_to,
             try_connect (port) == 0 ? "succeeded" : "failed");
  else
    report (connect_to, try_connect (port));
}

static LlRuleset *
sandbox (Server   *server,
         guint16   port,
         GError  **error)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  const char * const readable[] = { server->root, NULL };
  GEnumClass *status_class;
  LlStatus status;

  /* Strict (the default): if the kernel cannot enforce what is asked, the
   * server refuses to run rather than serve unsandboxed. Port 0 in a bind
   * rule allows binding to a port the kernel picks. Every right not
   * granted here (other files, writing, TCP connect, signals, abstract
   * UNIX sockets) is denied where the kernel can restrict it. A kernel
   * without TCP rules (before ABI 4) still protects the files, which is
   * what matters most here, so the bind rule is only asked for where TCP
   * is restricted at all. */
  ll_ruleset_allow_read (ruleset, readable);
  if (ll_ruleset_get_handled_access_net (ruleset) & LL_ACCESS_NET_BIND_TCP)
    ll_ruleset_allow_network (ruleset, &port, 1, TRUE, FALSE);

  if (!ll_ruleset_apply (ruleset, &status, error))
    return NULL;

  status_class = g_type_class_ref (LL_TYPE_STATUS);
  g_print ("Sandbox status: %s\n", g_enum_get_value (status_class, status)->value_name);
  g_type_class_unref (status_class);

  /* Say what this kernel leaves open, never claim it is denied. */
  if (ll_ruleset_get_unrestricted_access_net (ruleset) & LL_ACCESS_NET_BIND_TCP)
    g_print ("Not restricted by this kernel (Landlock ABI %d): TCP (needs ABI 4): "
             "the server may connect out and bind any port\n", ll_ruleset_get_abi (ruleset));
  if (ll_ruleset_get_unrestricted_scopes (ruleset) != 0)
    g_print ("Not restricted by this kernel (Landlock ABI %d): signals and abstract UNIX "
             "sockets (need ABI 6)\n", ll_ruleset_get_abi (ruleset));

  /* No thread runs yet, so the kernel restricted the whole process. */
  if (status != LL_STATUS_FULLY_ENFORCED)
    {
      g_set_error (error, LL_ERROR, LL_ERROR_RESTRICT,
                   "The sandbox is not complete: %s", ll_ruleset_get_status_reason (ruleset));
      return NULL;
    }

  return g_steal_pointer (&ruleset);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound_address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  Server server = { 0 };
  int port = 0;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0, the default: any free port)", "PORT" },
    { NULL }
  };

  /* The log goes to a pipe under the test suite: a line at a time, so
   * that the URL shows up when the server is ready. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new ("[DIRECTORY] - serve a directory, sandboxed with Landlock");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (argc > 2 || port < 0 || port > G_MAXUINT16)
    {
      g_printerr ("Usage: %s [--port PORT] [DIRECTORY]\n", g_get_prgname ());
      return EXIT_FAILURE;
    }

  /* Symlinks resolved: the lexical check in answer_get() compares with
   * this. */
  server.root = realpath (argc == 2 ? argv[1] : ".", NULL);
  if (server.root == NULL || !g_file_test (server.root, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("%s is not a directory\n", argc == 2 ? argv[1] : ".");
      free (server.root);
      return EXIT_FAILURE;
    }

  /* The sandbox goes on first, while this is the only thread: below
   * Landlock ABI 8 the kernel restricts only the calling thread and the
   * threads it starts afterwards. Even this server gets a second thread:
   * GIO starts GLib's worker thread ("gmain") the first time it uses a
   * GTask, which g_socket_listener_add_address() does. Started after
   * apply(), it inherits the sandbox; had the socket been set up first,
   * it would have escaped it, and apply() would have said
   * PARTIALLY_ENFORCED.
   *
   * GSocketService rather than GThreadedSocketService: it handles every
   * connection on the main loop, in this thread, with non-blocking I/O,
   * which is all that serving small files needs. A thread per
   * connection would be sandboxed too (started after apply()), but adds
   * nothing here except locking to think about. */
  ruleset = sandbox (&server, port, &error);
  if (ruleset == NULL)
    {
      g_printerr ("Cannot sandbox the server, not serving: %s\n", error->message);
      free (server.root);
      return EXIT_FAILURE;
    }

  service = g_socket_service_new ();
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound_address, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      free (server.root);
      return EXIT_FAILURE;
    }
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound_address));

  show_sandbox (&server, ruleset, port);

  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), &server);
  g_socket_service_start (service);
  g_print ("Serving %s at http://127.0.0.1:%d/\n", server.root, port);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  free (server.root);
  return EXIT_SUCCESS;
}
