/* Maiko-1.0-custom.vala: declarations vapigen adds to maiko-1.vapi
 *
 * SPDX-License-Identifier: MIT
 *
 * Methods that take a NULL-terminated string array as `const char * const
 * *`, declared with that C type so that valac casts the `char **` it
 * passes: GCC 14 refuses the conversion without a cast. Maiko-1.0.metadata
 * skips the declarations vapigen would make from the GIR; these must
 * follow the C headers.
 */

namespace Maiko {
	public class Actor : GLib.Object {
		public void set_publishes ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[]? topics);
	}

	public sealed class ActorTrace : GLib.Object {
		public bool exact ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
		public bool passes_through ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
		public bool segment ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
		public bool visited ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
	}

	public sealed class EventSpy : GLib.Object {
		public double delivery_ratio ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
		public bool was_delivered_to_all ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] actors);
	}

	public sealed class EventTrace : GLib.Object {
		public bool exact ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] labels);
		public bool passes_through ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] labels);
		public bool segment ([CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[] labels);
	}

	public sealed class Supervisor : GLib.Object {
		public bool add_actor (string name, Maiko.Actor actor, [CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[]? topics) throws GLib.Error;
	}
}
