@main
struct Entrypoint {
    static func main() async {
    }
}
